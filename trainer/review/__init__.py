"""One answer's review, worked out once, and the words and citations every presenter uses.

The app's texts (`trainer.texts`, Rich), the Markdown debrief (`trainer.debrief_markdown`) and the
cohort report (`trainer.cohort.report_page`, HTML) each say an answer's review in their own
form; what is said (judged or not, the verdict, what was chosen, what was done at the
time, the findings by voice and how each is cited) is decided here. No Rich, no Textual.
"""
