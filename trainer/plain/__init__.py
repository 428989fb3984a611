"""Plain mode: a module played as plain lines on standard output, answered on standard input.

Textual draws on a terminal's screen, which a screen reader or a braille display cannot
follow, and `trainer serve` draws it again on a browser canvas. Plain mode is the other way
in: `trainer play MODULE --plain` prints each screen once, in reading order, and reads the
trainee's answers a line at a time, like any command-line tool; a pipe or a file of answers
drives it as well. It plays the same module through the same engine, moves and save as the
app (`Session.move`: saved before anything new is shown), and shows the app's own texts
(`trainer.texts`, Rich-free once made plain) without colour, cursor movement or box
drawing. It imports no Textual.

- `console`: printing wrapped, escaped lines and reading answers (end of input included).
- `screens`: the plain text of each screen and prompt; `choice_texts`, a decision's choice;
  `case_texts`, the case file.
- `answers`: what typed numbers mean.
- `player`: the play loop over `PlayThrough.facing()`; `decision_steps`, a decision's
  questions; `case_browser`, the case file browsed.
- `start`: signing in on standard input, then opening the save and playing.
"""
