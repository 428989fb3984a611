"""The modules shipped with the package, for content tests."""

from pathlib import Path

from trainer.paths import shipped_modules_dir

SHIPPED = sorted(shipped_modules_dir().glob("*.toml"))


def shipped_ids() -> list[str]:
    """Test ids: the file stems."""
    return [Path(p).stem for p in SHIPPED]
