"""Every number that decides an outcome, in one place.

They were chosen with `python -m bot eval`, whose sweep prints in-scope accuracy and
out-of-scope rejection for a grid of ANSWER_MIN and MARGIN values over tests/data: pick
the values where both are highest, then prefer a higher ANSWER_MIN (an honest "I don't
know" costs less than a wrong answer). On the shipped set these give 96.2% of in-scope
questions the right answer and make 100% of out-of-scope ones fall back; 45/0/45 would
answer 1% more but let 3% of out-of-scope questions through. Re-run the sweep after changing the knowledge
or the scoring, and update the figures in README.md.
"""

# Outcome of a question, on the 0-100 score of the best intent:
#   score >= ANSWER_MIN and ahead of the runner-up by MARGIN  -> answer
#   score >= CLARIFY_MIN                                       -> clarify ("Did you mean ...")
#   otherwise                                                  -> fallback
ANSWER_MIN = 55.0
MARGIN = 1.0
CLARIFY_MIN = 50.0
CLARIFY_SPREAD = 15.0  # choices offered: at most 3 intents this close to the best
CLARIFY_CHOICES = 3

# Score = 100 * (W_QUERY * query coverage + W_EXAMPLE * example coverage + W_FUZZ * fuzz)
#   query coverage:   share of the question's (IDF-weighted) words the intent accounts for
#   example coverage: share of the example's words the question contains
#   fuzz:             rapidfuzz ratio of the two word lists, sorted (catches run-together
#                     words and near-spellings the token step missed)
W_QUERY, W_EXAMPLE, W_FUZZ = 0.55, 0.25, 0.20

# Credit for a question word found not in the example itself but elsewhere in its intent:
# in another example, the title or a resource name (strong), or only in the answer or a
# resource summary (weak).
STRONG_CREDIT, WEAK_CREDIT = 0.75, 0.35

# Weight of a question word the knowledge has never seen, against IDF weights of about 0.7
# (a word in every intent) to 4.2 (a word in one). It makes "webinars on climate
# resilience" fall back while "who bankrolled MAIG" still finds MAIG.
UNKNOWN_WEIGHT = 2.0
WEIGHT_MIN, WEIGHT_MAX = 1.0, 1.6  # known words' IDF is clamped into this band

# Spelling: an unknown word becomes the closest known word when rapidfuzz's ratio of the
# two is at least this (words of 4 letters or fewer are left alone).
SPELLING_MIN = 84.0

# Small talk ("hi", "what can you do") is matched on the whole message at this ratio.
SMALLTALK_MIN = 75.0

# Candidate examples scored in full per question; the rest never leave the index.
CANDIDATES = 64

# Describing a resource by what the page says about it (bot/understand.py, Describer): the
# share of the question's IDF-weighted words that a resource's facts, quotes, summary and
# curated examples account for. IDF is over resources, clamped into this band; a word no
# resource has but the knowledge knows elsewhere (a question word) weighs little.
DESCRIBE_WEIGHT_MIN, DESCRIBE_WEIGHT_MAX = 0.3, 2.2
DESCRIBE_KNOWN_ELSEWHERE = 0.5
DESCRIBE_UNKNOWN = 2.0  # a word the knowledge has never seen
DESCRIBE_PREFIX, DESCRIBE_PREFIX_CREDIT = 5, 0.8
# A description answers when its resource accounts for this much of the question and leads
# the next resource (not its own part or parent) by DESCRIBE_MARGIN.
DESCRIBE_MIN = 60.0
DESCRIBE_MARGIN = 4.0
# A listing ("which orgs work with mayors") keeps every resource within LIST_SPREAD of the
# best, when the best reaches LIST_MIN.
LIST_MIN = 70.0
LIST_SPREAD = 20.0
# A question naming something the knowledge never mentions ("the Violence Policy Center")
# is answered only from a curated example this close to it; else it falls back.
UNKNOWN_NAME_ANSWER_MIN = 80.0
# "Which group does X?" reaching a curated listing answers with the one listed resource X
# describes when it scores at least this and leads the next by WITHIN_LIST_MARGIN.
WITHIN_LIST_MIN = 25.0
WITHIN_LIST_MARGIN = 8.0
# A gap ("their phone number?") is said of a resource only described, not named, when the
# description is at least this sure; else the question falls back.
DESCRIBED_GAP_MIN = 80.0
# A message with at least this many content words that finds no answer whole is tried
# sentence by sentence, and the best answered sentence answers.
LONG_MESSAGE_TERMS = 10
# A named series is narrowed to the part the rest of the question describes when that part
# scores at least this among the parts and leads the next by DESCRIBE_MARGIN.
PART_MIN = 50.0
# Follow-ups: a message without a pronoun or an ellipsis leans on the conversation only when
# it has at most this many content words ("since when?", "what age range exactly?") and the
# remembered subject accounts for at least FOLLOW_UP_STAY_MIN of them.
FOLLOW_UP_MAX_TERMS = 3
FOLLOW_UP_STAY_MIN = 50.0
# A question padded with words the knowledge has never seen is still about a resource when
# ANCHORS_MIN of its words belong to that resource alone, at most ANCHORED_UNKNOWN_MAX of its
# words are unknown, and the resource accounts for ANCHORED_MIN of the known ones.
ANCHORS_MIN = 2
ANCHORED_UNKNOWN_MAX = 0.6
ANCHORED_MIN = 70.0
# An intent matched at least this closely by a curated example is not overridden by a
# description of a resource.
INTENT_SURE = 80.0
# A curated listing ranked first at least this high, though not answered, still lets the
# one listed resource a question describes answer it.
WITHIN_LIST_RANKED = 45.0
# A fact leads an answer only when it says more than this many content words the answer
# does not already say (a question for Part 2's topics gets Part 2's answer, once).
LEAD_NEW_TERMS = 2
# A description in a long message (many words, diluted coverage) still answers when it
# reaches DESCRIBE_LEAD_MIN and leads every other resource by DESCRIBE_LEAD.
DESCRIBE_LEAD_MIN = 45.0
DESCRIBE_LEAD = 25.0
# A question of one content word answers only when its best intent leads the next by this.
ONE_WORD_MARGIN = 6.0
