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
                        ask_confidence=True,
                        reflection="Why?",
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
