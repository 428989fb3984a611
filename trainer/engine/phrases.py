"""Which of many phrases occur in a text, found in one pass over its words.

A phrase (a glossary term, a rubric phrase) occurs where its words do, in order, on word
boundaries; a final `*` matches its last word as a prefix: `scoring.match_phrase`'s rule.
Searching the text once for each phrase costs the text's length for every phrase: a
20,000-term glossary against a 400,000-word module is billions of steps. Here every phrase
goes into one automaton over words (Aho-Corasick), and the text is read once:

- A phrase without `*` is a path of words from the root; reading the text moves along the
  paths, falling back on a mismatch to the longest path that is still a suffix of what was
  read, and each path end reached is marked found with every shorter one behind it (a mark
  is never made twice, so the marking costs the number of phrases at most).
- A phrase with `*` is its words but the last (perhaps none) as a path, bearing the last
  word as a prefix. Wherever such a path ends in the text, the word that follows is looked
  up among the prefixes it bears (a walk down a trie of their letters). The same word after
  the same place is looked at once.

The work (`Work.steps`) grows with the words of the text and the phrases, not with their
product: the test counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from trainer.engine.wording import phrase_words


@dataclass
class Work:
    """A count of the steps taken (words read, links followed, letters looked up)."""

    steps: int = 0


@dataclass
class _Letters:
    """A node of a letter trie: the letters that follow, and the phrases whose last word, as
    a prefix, ends here."""

    following: dict[str, _Letters] = field(default_factory=dict)
    phrases: list[int] = field(default_factory=list)


def phrases_found(
    phrases: Sequence[str], words: Sequence[str], work: Work | None = None
) -> list[bool]:
    """For each phrase, whether it occurs in `words` (normalised, as `scoring.normalise`
    gives them) by `match_phrase`'s rule; in time linear in the words and the phrases."""
    found = [False] * len(phrases)
    automaton = _Automaton()
    known = set(words)
    steps = len(words)
    for index, phrase in enumerate(phrases):
        steps += automaton.add(index, phrase, known)
    steps += automaton.link()
    root = automaton.bears[0]
    if root is not None:  # a lone word as a prefix: any word of the text may have it
        for word in known:
            steps += _prefixes(root, word, found)
    steps += automaton.read(words, found)
    if work is not None:
        work.steps += steps
    return found


class _Automaton:
    """The phrases as paths of words from a root (node 0), with the links that let the text
    be read once."""

    def __init__(self) -> None:
        self.children: list[dict[str, int]] = [{}]
        """Each node's next node for each word."""
        self.ends: list[list[int]] = [[]]
        """The exact phrases ending at each node."""
        self.bears: list[_Letters | None] = [None]
        """The prefixes borne at each node."""
        self.fail: list[int] = []
        self.output: list[int] = []
        self.bearing: list[int] = []

    def add(self, index: int, phrase: str, known: set[str]) -> int:
        """Put phrase number `index` in; the steps taken. A phrase with a word the text never
        has cannot occur, and is left out."""
        wanted, prefix = phrase_words(phrase)
        body = wanted[:-1] if prefix else wanted
        if not wanted or any(word not in known for word in body):
            return len(wanted)
        node = self.path(body)
        if not prefix:
            self.ends[node].append(index)
            return len(wanted)
        letters = self.bears[node]
        if letters is None:
            letters = self.bears[node] = _Letters()
        for letter in wanted[-1]:
            letters = letters.following.setdefault(letter, _Letters())
        letters.phrases.append(index)
        return len(wanted) + len(wanted[-1])

    def path(self, words: list[str]) -> int:
        """The node at the end of a path of words from the root, made where it is new."""
        children = self.children
        node = 0
        for word in words:
            following = children[node].get(word)
            if following is None:
                following = len(children)
                children[node][word] = following
                children.append({})
                self.ends.append([])
                self.bears.append(None)
            node = following
        return node

    def link(self) -> int:
        """Work out each node's links (`_links`); the steps taken."""
        self.fail, self.output, self.bearing, steps = _links(self.children, self.ends, self.bears)
        return steps

    def read(self, words: Sequence[str], found: list[bool]) -> int:
        """Read the text once, marking found every phrase that occurs; the steps taken."""
        children, fail, output, ends = self.children, self.fail, self.output, self.ends
        bearing = self.bearing
        steps = 0
        marked = [False] * len(children)
        visited: set[tuple[int, str]] = set()  # (where the text was, the word that followed)
        checked: set[tuple[int, str]] = set()  # (a node bearing prefixes, a word looked up)
        state = 0
        for word in words:
            if bearing[state] >= 0 and (state, word) not in visited:
                visited.add((state, word))
                steps += self.prefixes_after(state, word, checked, found)
            while state and word not in children[state]:
                state = fail[state]
                steps += 1
            state = children[state].get(word, 0)
            node = output[state]
            while node and not marked[node]:
                marked[node] = True
                for index in ends[node]:
                    found[index] = True
                node = output[fail[node]]
                steps += 1
        return steps

    def prefixes_after(
        self, state: int, word: str, checked: set[tuple[int, str]], found: list[bool]
    ) -> int:
        """The paths ending where the text is that bear prefixes: mark found those that
        `word` starts with; the steps taken."""
        bearing, fail = self.bearing, self.fail
        steps = 0
        node = bearing[state]
        while node >= 0:
            steps += 1
            if (node, word) not in checked:
                checked.add((node, word))
                steps += _prefixes(self.bears[node], word, found)
            node = bearing[fail[node]]
        return steps


def _links(
    children: list[dict[str, int]],
    ends: list[list[int]],
    bears: list[_Letters | None],
) -> tuple[list[int], list[int], list[int], int]:
    """Each node's fallback (the node of the longest proper suffix of its words), its
    nearest node ending an exact phrase and its nearest node but the root bearing prefixes,
    each among itself and its fallbacks (0 for no exact phrase, -1 for no prefix), and the
    steps taken to find them."""
    count = len(children)
    fail = [0] * count
    output = [0] * count
    bearing = [-1] * count  # the root's prefixes are looked up apart, once for each word
    steps = 0
    queue = [0]
    for node in queue:  # breadth first: a node's fallback is nearer the root, so done
        for word, child in children[node].items():
            queue.append(child)
            back = 0
            if node:
                back = fail[node]
                while back and word not in children[back]:
                    back = fail[back]
                    steps += 1
                back = children[back].get(word, 0)
            fail[child] = back
            output[child] = child if ends[child] else output[back]
            bearing[child] = child if bears[child] is not None else bearing[back]
            steps += 1
    return fail, output, bearing, steps


def _prefixes(letters: _Letters | None, word: str, found: list[bool]) -> int:
    """Mark found the phrases whose last word `word` starts with, in a letter trie; the
    letters looked up."""
    steps = 0
    for letter in word:
        if letters is None:
            break
        letters = letters.following.get(letter)
        steps += 1
        if letters is not None and letters.phrases:
            for index in letters.phrases:
                found[index] = True
            letters.phrases = []  # found once is enough
    return steps
