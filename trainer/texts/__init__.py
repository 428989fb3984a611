"""What the app's screens say, as Rich `Text`: no Textual, so plain mode shows the same words.

`feedback` says an answer's review (the feedback, the path review, the score); `pages` the
rest (a stage's header and outcome, the timeline, glossary, help, how the cohort answered).
The app draws them with hanging indents (`trainer.tui.render`); plain mode prints them as
plain text.
"""
