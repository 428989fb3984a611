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

from trainer.engine.scoring import phrase_words


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
    known = set(words)
    steps = len(words)
    # The automaton: node 0 is the root; `children[n]` maps a word to the next node.
    children: list[dict[str, int]] = [{}]
    ends: list[list[int]] = [[]]  # the exact phrases ending at each node
    bears: list[_Letters | None] = [None]  # the prefixes borne at each node
    for index, phrase in enumerate(phrases):
        wanted, prefix = phrase_words(phrase)
        body = wanted[:-1] if prefix else wanted
        steps += len(wanted)
        if not wanted or any(word not in known for word in body):
            continue  # a word the text never has: the phrase cannot occur
        node = 0
        for word in body:
            following = children[node].get(word)
            if following is None:
                following = len(children)
                children[node][word] = following
                children.append({})
                ends.append([])
                bears.append(None)
            node = following
        if not prefix:
            ends[node].append(index)
            continue
        letters = bears[node]
        if letters is None:
            letters = bears[node] = _Letters()
        for letter in wanted[-1]:
            letters = letters.following.setdefault(letter, _Letters())
        letters.phrases.append(index)
        steps += len(wanted[-1])
    fail, output, bearing, links = _links(children, ends, bears)
    steps += links
    if bears[0] is not None:  # a lone word as a prefix: any word of the text may have it
        for word in known:
            steps += _prefixes(bears[0], word, found)
    marked = [False] * len(children)
    visited: set[tuple[int, str]] = set()  # (where the text was, the word that followed)
    checked: set[tuple[int, str]] = set()  # (a node bearing prefixes, a word looked up)
    state = 0
    for word in words:
        if bearing[state] >= 0 and (state, word) not in visited:
            # The paths ending here that bear prefixes: does this word start with one?
            visited.add((state, word))
            node = bearing[state]
            while node >= 0:
                steps += 1
                if (node, word) not in checked:
                    checked.add((node, word))
                    steps += _prefixes(bears[node], word, found)
                node = bearing[fail[node]]
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
    if work is not None:
        work.steps += steps
    return found


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
