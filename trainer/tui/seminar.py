"""The facilitator's live room: `trainer seminar MODULE --cohort C`.

Every learner of the cohort and the stage they have reached (names shown: this
is the facilitator's room), the highlighted stage's live answers beside the
review's verdicts (or the panel's order), and how many were sure and contrary.
Arrows move the highlight over the module's stages; `h` holds the room at the
highlighted stage and `r` releases it. The screen reads the saves folder every
few seconds, and only the saves that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from trainer.cohort.peers import latest_answer, tally
from trainer.engine import Module
from trainer.errors import TrainerError
from trainer.saves import SaveFile, read_save
from trainer.saves.room import hold, read_hold, release
from trainer.tui.render import verdict_text


@dataclass
class _Seen:
    mtime_ns: int
    save: SaveFile | None


class SeminarApp(App[None]):
    """The facilitator's screen for a room of trainees playing one module."""

    CSS_PATH = ["app.tcss", "seminar.tcss"]
    ENABLE_COMMAND_PALETTE = False
    TITLE = "trainer seminar"
    REFRESH_SECONDS = 2.0
    """How often the saves folder is looked at (a stat per save; changed saves are re-read)."""
    BINDINGS = [
        Binding("h", "hold", "Hold here"),
        Binding("r", "release", "Release"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, root: Path, module: Module, cohort: str | None) -> None:
        super().__init__()
        self.root = Path(root)
        self.module = module
        self.cohort = cohort
        self._seen: dict[Path, _Seen] = {}

    # -- reading the room ------------------------------------------------------

    def saves(self) -> list[SaveFile]:
        """The cohort's saves of this module, re-reading only files that changed."""
        found: dict[Path, _Seen] = {}
        for path in sorted(self.root.glob(f"*/{self.module.id}.toml")):
            try:
                mtime = path.stat().st_mtime_ns
            except OSError:
                continue
            seen = self._seen.get(path)
            if seen is None or seen.mtime_ns != mtime:
                try:
                    seen = _Seen(mtime, read_save(path))
                except TrainerError:
                    seen = _Seen(mtime, None)
            found[path] = seen
        self._seen = found
        return [
            s.save
            for s in found.values()
            if s.save is not None
            and s.save.module.id == self.module.id
            and (s.save.learner.cohort or None) == (self.cohort or None)
        ]

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="seminar-title", classes="screen-title")
        with Horizontal(id="seminar"):
            yield OptionList(*self.stage_options(None), id="stages")
            with VerticalScroll(id="room"):
                yield Static(id="learners", classes="page-text")
                yield Static(id="answers", classes="page-text")
        yield Static(id="status", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        stages = self.query_one("#stages", OptionList)
        stages.highlighted = 0
        stages.focus()
        self.refresh_room()
        self.set_interval(self.REFRESH_SECONDS, self.refresh_room)

    def stage_options(self, held: str | None, here: dict[str, int] | None = None) -> list[Option]:
        here = here or {}
        options = []
        for number, stage in enumerate(self.module.stages, start=1):
            label = Text(f"{number}. ")
            label.append(stage.title)
            extra = []
            if stage.shown_date:
                extra.append(stage.shown_date)
            if here.get(stage.id):
                extra.append(f"{here[stage.id]} here")
            if extra:
                label.append("  " + " · ".join(extra), style="dim")
            if stage.id == held:
                label.append("  HELD", style="bold")
            options.append(Option(label, id=stage.id))
        return options

    @property
    def highlighted_stage(self) -> int:
        highlighted = self.query_one("#stages", OptionList).highlighted
        return highlighted or 0

    def refresh_room(self) -> None:
        """Read the room again and show it."""
        saves = self.saves()
        held = read_hold(self.root, self.module.id, self.cohort)
        here: dict[str, int] = {}
        for save in saves:
            attempt = save.last_attempt
            if attempt is not None:
                here[attempt.position] = here.get(attempt.position, 0) + 1
        stages = self.query_one("#stages", OptionList)
        keep = self.highlighted_stage
        for index, option in enumerate(self.stage_options(held, here)):
            stages.replace_option_prompt_at_index(index, option.prompt)
        stages.highlighted = keep
        self.query_one("#seminar-title", Static).update(self.title_text(held, len(saves)))
        self.query_one("#learners", Static).update(self.learners_text(saves))
        self.query_one("#answers", Static).update(self.answers_text(saves))

    def title_text(self, held: str | None, count: int) -> Text:
        out = Text(f"Seminar · {self.module.title}", style="bold")
        out.append(f"  · cohort {self.cohort or '(none)'} · {count} learners", style="dim")
        stage = self.module.stage(held) if held else None
        out.append(f"\nRoom held at: {stage.title}" if stage else "\nRoom open", style="bold")
        return out

    def learners_text(self, saves: list[SaveFile]) -> Text:
        out = Text("Learners\n", style="bold")
        if not saves:
            out.append("No one in this cohort has started the module yet.\n")
        for save in sorted(saves, key=lambda s: s.learner.name.casefold()):
            attempt = save.last_attempt
            out.append(f"  {save.learner.name}: ")
            if attempt is None:
                out.append("not started\n", style="dim")
            elif attempt.finished:
                out.append("finished\n")
            else:
                stage = self.module.stage(attempt.position)
                number = self.module.stage_number(attempt.position)
                where = f"stage {number}, {stage.title}" if stage else attempt.position
                out.append(f"{where} · {len(attempt.answers)} answered\n")
        return out

    def answers_text(self, saves: list[SaveFile]) -> Text:
        stage = self.module.stages[self.highlighted_stage] if self.module.stages else None
        out = Text()
        if stage is None:
            return out
        out.append(f"Answers at stage {self.highlighted_stage + 1}: {stage.title}\n", style="bold")
        if not stage.decisions:
            out.append("  This stage has no decisions.\n", style="dim")
        for decision in stage.decisions:
            answers = [a for s in saves if (a := latest_answer(s, decision.id)) is not None]
            result = tally(decision, answers)
            out.append(f"\n{decision.prompt}\n", style="bold")
            out.append(f"  {result.answered} answered", style="dim")
            if decision.judged and decision.kind != "text":
                out.append(f" · {result.sure_and_contrary} sure (4–5) and contrary", style="dim")
            out.append("\n")
            for option in result.options:
                if decision.kind == "rank":
                    mean = "-" if option.mean_position is None else f"{option.mean_position:.1f}"
                    out.append(f"  room {mean:>4} · panel {option.rank}  {option.text}\n")
                    continue
                out.append(f"  {option.count:3d} ({round(option.share * 100):3d}%)  ")
                out.append(option.text)
                if option.verdict:
                    out.append("  ")
                    out.append_text(verdict_text(option.verdict))
                out.append("\n")
        return out

    # -- keys -----------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#stages")
    def stage_highlighted(self) -> None:
        self.query_one("#answers", Static).update(self.answers_text(self.saves()))

    def say(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    def action_hold(self) -> None:
        stage = self.module.stages[self.highlighted_stage]
        try:
            hold(self.root, self.module.id, self.cohort, stage.id)
        except TrainerError as error:
            self.say(f"Could not hold the room: {error}")
            return
        self.say(f"The room is held at {stage.title}: trainees wait there until you press r.")
        self.refresh_room()

    def action_release(self) -> None:
        release(self.root, self.module.id, self.cohort)
        self.say("The room is released: trainees waiting go on by themselves.")
        self.refresh_room()
