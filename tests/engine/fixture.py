"""A small module built in Python, covering every rule the engine has."""

from trainer.engine import (
    Debrief,
    Decision,
    Finding,
    GlossaryEntry,
    Module,
    Option,
    RubricConcept,
    Source,
    Stage,
)


def fixture_module() -> Module:
    """Four stages: a single choice that can branch, a multiple, an unscored one, a text."""
    return Module(
        format=1,
        id="fixture",
        title="Fixture",
        version="1",
        summary="A module for engine tests.",
        sources=(Source("src", "A review"),),
        findings=(
            Finding("f-act", "Act early.", "src", quote="act early", locator="para 1"),
            Finding("f-adults", "Know every adult.", "src", locator="para 2"),
            Finding("f-child", "Keep the child in focus.", "src", locator="para 3"),
        ),
        glossary=(GlossaryEntry("review", "A look back."),),
        stages=(
            Stage(
                "s1",
                "First",
                "Narrative one.",
                decisions=(
                    Decision(
                        "d-single",
                        "What now?",
                        "single",
                        (
                            Option("a", "Act", "aligned", "Good.", ("f-act",)),
                            Option("p", "Wait a little", "partial", "Hmm.", ("f-act",)),
                            Option("c", "Do nothing", "contrary", "No.", ("f-act",), next="s3"),
                        ),
                        asks_confidence=True,
                        reason_prompt="Why?",
                        rubric=(RubricConcept("k-child", "Child", ("child*",), "f-child"),),
                    ),
                ),
                outcome="It happened.",
                outcome_findings=("f-act",),
            ),
            Stage(
                "s2",
                "Second",
                "Narrative two.",
                decisions=(
                    Decision(
                        "d-multiple",
                        "Which steps?",
                        "multiple",
                        (
                            Option("m1", "Check the adults", "aligned", "Yes.", ("f-adults",)),
                            Option("m2", "Ask the police", "aligned", "Yes.", ("f-adults",)),
                            Option("m3", "Trust the account", "contrary", "No.", ("f-adults",)),
                            Option("m4", "Write a note", "partial", "Fine."),
                        ),
                    ),
                    Decision(
                        "d-unscored",
                        "How do you feel?",
                        "single",
                        (
                            Option("u1", "Fine", "aligned"),
                            Option("u2", "Unsure", "contrary", next="s4"),
                        ),
                        scored=False,
                    ),
                ),
                next="s3",
            ),
            Stage("s3", "Third", "Narrative three.", next="s4"),
            Stage(
                "s4",
                "Fourth",
                "Narrative four.",
                decisions=(
                    Decision(
                        "d-text",
                        "What would you do differently?",
                        "text",
                        rubric=(
                            RubricConcept(
                                "adults", "Every adult", ("every adult", "mr h*"), "f-adults"
                            ),
                            RubricConcept("challenge", "Challenge", ("challeng*",), "f-act"),
                            RubricConcept("child", "The child", ("focus on the child",), "f-child"),
                            RubricConcept("share", "Share", ("share information",)),
                        ),
                    ),
                ),
            ),
        ),
        debrief=Debrief("Think.", ("One?", "Two?")),
    )


def format2_module() -> Module:
    """Format 2 rules the TOML sample does not reach, built in Python.

    Stage f1: a rank decision of five options listed out of the panel's order, asking how
    sure and why; an unscored multiple poll (no verdicts). Stage f2: a multiple decision
    that marks what happened; written answers compared by phrases and not at all.
    """
    ranked = (
        Option("third", "Check the records", None, "Third.", ("f-adults",), rank=3),
        Option("first", "See the child alone", None, "First.", ("f-child",), rank=1),
        Option("fifth", "Write a letter", None, "Last.", rank=5),
        Option("second", "Talk to the police", None, "Second.", ("f-act",), rank=2),
        Option("fourth", "Call the GP", None, "Fourth.", rank=4),
    )
    return Module(
        format=2,
        id="fixture-2",
        title="Fixture, format 2",
        version="1",
        summary="A format 2 module for engine tests.",
        sources=(Source("src", "A review", kind="review"),),
        findings=(
            Finding("f-act", "Act early.", "src", voice="review"),
            Finding("f-adults", "Know every adult.", "src", voice="review"),
            Finding("f-child", "Keep the child in focus.", "src", voice="review"),
        ),
        stages=(
            Stage(
                "f1",
                "First",
                "Narrative one.",
                date="2030-01",
                decisions=(
                    Decision(
                        "order",
                        "Put these in order.",
                        "rank",
                        ranked,
                        asks_confidence=True,
                        reason_prompt="Why this order?",
                        rubric=(RubricConcept("k-child", "Child", ("child*",), "f-child"),),
                    ),
                    Decision(
                        "poll",
                        "Which have you done before?",
                        "multiple",
                        (
                            Option("visits", "Home visits", None),
                            Option("court", "Court reports", None),
                            Option("neither", "Neither yet", None),
                        ),
                        scored=False,
                    ),
                ),
            ),
            Stage(
                "f2",
                "Second",
                "Narrative two.",
                date="2030-02",
                decisions=(
                    Decision(
                        "steps",
                        "Which steps?",
                        "multiple",
                        (
                            Option("m1", "Check the adults", "aligned", "Yes.", ("f-adults",)),
                            Option("m2", "Ask the police", "aligned", "Yes.", happened=True),
                            Option("m3", "Trust the account", "contrary", "No."),
                        ),
                    ),
                    Decision(
                        "phrased",
                        "What would you change?",
                        "text",
                        asks_confidence=True,
                        rubric=(
                            RubricConcept("alone", "Alone", ("alone",), "f-child"),
                            RubricConcept("adults", "Adults", ("every adult",), "f-adults"),
                        ),
                        scoring="phrases",
                    ),
                    Decision(
                        "silent",
                        "A note for yourself?",
                        "text",
                        rubric=(RubricConcept("alone", "Alone", ("alone",), "f-child"),),
                        scoring="none",
                    ),
                ),
            ),
        ),
    )
