"""The rules of a decision, one checker per kind, as the engine scores each kind on its own.

Every decision is checked for what all kinds share (its id, its options' and concepts' ids,
verdicts, feedback, the findings they link, and where an option branches to); then its kind's
checker adds its own rules: a choice (single or multiple) needs two options and an aligned one,
a rank decision 3 to 9 options ranked 1 to n, a written (text) decision a rubric when scored.
Last, a judged decision with no finding behind it is warned about (W406), and an
`order_label` checked (it names the order of a rank decision only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from trainer.content.checking import ID_PATTERN, Links, Reporter, Table
from trainer.content.schema import default_scoring
from trainer.engine.vocabulary import DECISION_KINDS, SCORINGS, VERDICTS, decision_judged

if TYPE_CHECKING:
    from trainer.content.locate import Path

FORMAT_1_KINDS = ("single", "multiple", "text")
"""The decision kinds of format 1; format 2 adds `rank`."""
RANK_OPTIONS = (3, 9)
"""How many options a rank decision takes, at least and at most."""
_NOT_ON_RANK_OPTIONS = {
    "verdict": "the module's order is the answer, and rank gives it",
    "happened": "every option is placed, so none is chosen as what was done",
    "next": "every option is placed, so none can branch; put next on the stage",
}


def check_decision(
    reporter: Reporter, links: Links, decision_ids: set[str], decision: Table, stage_index: int
) -> None:
    """Every rule of one decision (a checked table) at the stage of index `stage_index`."""
    path: Path = decision["_path"]
    decision_id = decision.get("id")
    if decision_id is not None and (
        ID_PATTERN.fullmatch(decision_id) or reporter.check_id(decision_id, path + ("id",))
    ):
        if decision_id in decision_ids:
            reporter.error("E202", path + ("id",), f"duplicate decision id {decision_id!r}")
        decision_ids.add(decision_id)
    kind = _kind(reporter, decision)
    checker = _CHECKERS.get(kind, DecisionChecker)
    checker(reporter, links, decision, kind).check(stage_index)
    check_order_label(reporter, decision)


def check_order_label(reporter: Reporter, decision: Table) -> None:
    """`order_label` names whose order a rank decision's ranks are: on any other kind it
    names nothing (E308), and it cannot be blank, since every screen shows it (E104)."""
    if "order_label" not in decision:
        return
    path: Path = decision["_path"] + ("order_label",)
    kind = decision.get("kind")
    if kind in DECISION_KINDS and kind != "rank":
        reporter.error(
            "E308",
            path,
            f"order_label is for rank decisions; a {kind} decision has no order to name",
        )
    elif not decision["order_label"].strip():
        reporter.error("E104", path, "is empty; say whose order it is, or leave the key out")


def _kind(reporter: Reporter, decision: Table) -> str | None:
    """The decision's kind if it is one this format has, else None (after E106)."""
    kind = decision.get("kind")
    if kind is None:
        return None
    kinds = DECISION_KINDS if reporter.version >= 2 else FORMAT_1_KINDS
    if kind in kinds:
        return str(kind)
    if kind in DECISION_KINDS:
        message = f"kind {kind!r} is a format 2 kind; write format = 2 to use it"
    else:
        message = f"kind {kind!r} is not one of {', '.join(kinds)}{reporter.suggest(kind, kinds)}"
    reporter.error("E106", decision["_path"] + ("kind",), message)
    return None


class DecisionChecker:
    """The rules every decision follows; a decision whose kind is unknown gets only these."""

    options_branch: ClassVar[bool] = True
    """Whether an option's `next` is a link to check (a rank option's never branches)."""

    def __init__(self, reporter: Reporter, links: Links, decision: Table, kind: str | None):
        self.reporter = reporter
        self.links = links
        self.decision = decision
        self.kind = kind
        self.path: Path = decision["_path"]
        self.options: list[Table] = decision.get("options", [])
        self.rubric: list[Table] = decision.get("rubric", [])
        self.scoring: str = decision.get("scoring", default_scoring(reporter.version))

    def check(self, stage_index: int) -> None:
        """Check the decision: the shared rules, its kind's, then a finding behind it."""
        reporter = self.reporter
        reporter.unique_ids(self.options, "option id")
        reporter.unique_ids(self.rubric, "concept id")
        has_finding = self.check_options(stage_index)
        has_finding = self.check_rubric() or has_finding
        self.check_scoring()
        self.check_kind()
        if has_finding or not self.judged():
            return
        # A decision the review's view is never compared with needs no finding behind it.
        reporter.warn(
            "W406",
            self.path,
            f"decision {self.decision.get('id')!r} has no finding behind any option",
        )

    def check_options(self, stage_index: int) -> bool:
        """Verdicts, feedback, findings and branches of the options; whether any links a
        finding."""
        reporter = self.reporter
        has_finding = False
        for option in self.options:
            verdict = option.get("verdict")
            if verdict is not None and verdict not in VERDICTS:
                reporter.error(
                    "E106",
                    option["_path"] + ("verdict",),
                    f"verdict {verdict!r} is not one of aligned, partial, contrary"
                    f"{reporter.suggest(verdict, VERDICTS)}",
                )
            if "feedback" not in option:
                reporter.warn(
                    "W404", option["_path"], f"option {option.get('id')!r} has no feedback"
                )
            for position, finding_id in enumerate(option.get("findings", ())):
                has_finding = True
                self.links.finding(finding_id, option, "findings", position)
            if "next" in option and self.options_branch:
                self.links.next(option["next"], option, stage_index)
        return has_finding

    def check_rubric(self) -> bool:
        """The concepts' findings and phrases; whether any links a finding."""
        has_finding = False
        for concept in self.rubric:
            if "finding" in concept:
                has_finding = True
                self.links.finding(concept["finding"], concept, "finding")
            if "any" in concept and not any(p.strip().rstrip("*").strip() for p in concept["any"]):
                self.reporter.error(
                    "E104", concept["_path"] + ("any",), "needs at least one phrase"
                )
        return has_finding

    def check_scoring(self) -> None:
        """A `scoring` the format knows; a value it does not is read as the default."""
        if "scoring" in self.decision and not self.reporter.allowed(
            self.decision, "scoring", SCORINGS
        ):
            self.scoring = "self"

    def check_kind(self) -> None:
        """The rules of the decision's kind (none when its kind is unknown)."""

    def judged(self) -> bool:
        """Whether an answer is compared with the review, by the engine's rule (a decision
        of no known kind is not)."""
        if self.kind is None:
            return False
        verdicts = (option.get("verdict") for option in self.options)
        return decision_judged(self.kind, verdicts, self.scoring, bool(self.rubric))

    def not_for_this_kind(self) -> None:
        """E308 for `scoring` on a decision that is not written."""
        if "scoring" in self.decision:
            self.reporter.error(
                "E308",
                self.path + ("scoring",),
                f"scoring is for written (text) decisions; a {self.kind} decision is "
                "compared by its options",
            )

    def check_happened(self) -> None:
        """Format 2: at most one option of a decision is what was done at the time."""
        if self.reporter.version < 2:
            return
        marked = [o for o in self.options if o.get("happened") is True]
        if len(marked) > 1:
            self.reporter.error(
                "E306",
                marked[1]["_path"] + ("happened",),
                f"options {marked[0].get('id')!r} and {marked[1].get('id')!r} are both marked "
                "happened; mark the one that was done at the time",
            )


class ChoiceChecker(DecisionChecker):
    """A single or multiple decision: two options or more, one aligned unless a poll."""

    def check_scoring(self) -> None:
        self.not_for_this_kind()

    def check_kind(self) -> None:
        options = self.options
        if len(options) < 2:
            self.reporter.error(
                "E301",
                self.path,
                f"a {self.kind} decision needs at least two options ({len(options)})",
            )
        elif any("verdict" in o for o in options) and not any(
            o.get("verdict") == "aligned" for o in options
        ):
            # A poll (format 2: an unscored choice with no verdicts) is not judged.
            self.reporter.error("E302", self.path, "no option is 'aligned' with the review")
        if self.reporter.version >= 2:
            self.check_option_verdicts()
        self.check_happened()

    def check_option_verdicts(self) -> None:
        """Format 2: verdicts on every option when scored, all or none when not (a poll has
        none), and no rank."""
        reporter = self.reporter
        options = self.options
        for option in options:
            if "rank" in option:
                reporter.error(
                    "E308",
                    option["_path"] + ("rank",),
                    f"rank is for the options of a rank decision, not a {self.kind} decision",
                )
        bare = [o for o in options if "verdict" not in o["_given"]]
        if not bare:
            return
        if self.decision.get("scored", True):
            for option in bare:
                reporter.missing(
                    option["_path"],
                    "verdict",
                    "every option of a scored choice decision has one; "
                    "a poll without verdicts is scored = false",
                )
        elif len(bare) < len(options):
            self.mixed_verdicts(bare[0])

    def mixed_verdicts(self, bare: Table) -> None:
        """E310: an unscored decision gives every option a verdict, or none (a poll)."""
        judged = next(o for o in self.options if "verdict" in o["_given"])
        self.reporter.error(
            "E310",
            bare["_path"],
            f"option {bare.get('id')!r} has no verdict but option {judged.get('id')!r} "
            "has one: give every option a verdict, or none (a poll)",
        )


class RankChecker(DecisionChecker):
    """A rank decision: 3 to 9 options, each with a distinct rank from 1 to n and no verdict,
    happened or next (every option is placed, so none is chosen)."""

    options_branch = False

    def check_scoring(self) -> None:
        self.not_for_this_kind()

    def check_kind(self) -> None:
        reporter = self.reporter
        options = self.options
        count = len(options)
        if not RANK_OPTIONS[0] <= count <= RANK_OPTIONS[1]:
            reporter.error(
                "E309",
                self.path,
                f"a rank decision takes {RANK_OPTIONS[0]} to {RANK_OPTIONS[1]} options ({count})",
            )
        for option in options:
            for key, why in _NOT_ON_RANK_OPTIONS.items():
                if key in option["_given"]:
                    reporter.error(
                        "E308", option["_path"] + (key,), f"{key} on a rank option: {why}"
                    )
            if "rank" not in option["_given"]:
                reporter.missing(
                    option["_path"], "rank", "its place in the module's order, 1 = first"
                )
        self.check_ranks(count)
        self.check_happened()

    def check_ranks(self, count: int) -> None:
        """E307 unless the ranks are 1 to n, each once (reported once, at the first wrong)."""
        ranks = [o["rank"] for o in self.options if "rank" in o]
        seen: set[int] = set()
        for option in self.options:
            rank = option.get("rank")
            if rank is None:
                continue
            if not 1 <= rank <= count or rank in seen:
                shown = ", ".join(str(r) for r in sorted(ranks))
                self.reporter.error(
                    "E307",
                    option["_path"] + ("rank",),
                    f"the ranks should be 1 to {count}, each once (the module's order); "
                    f"found {shown}",
                )
                return
            seen.add(rank)


class TextChecker(DecisionChecker):
    """A written answer: no options, and a rubric when it is scored and compared."""

    def check_kind(self) -> None:
        if self.options:
            self.reporter.error(
                "E304", self.path + ("options",), "a text decision takes no options"
            )
        if self.decision.get("scored", True) and self.scoring != "none" and not self.rubric:
            self.reporter.error("E303", self.path, "a scored text decision needs a rubric")


_CHECKERS: dict[str | None, type[DecisionChecker]] = {
    "single": ChoiceChecker,
    "multiple": ChoiceChecker,
    "rank": RankChecker,
    "text": TextChecker,
}
"""The checker of each decision kind."""
