"""Text features the built-in evaluator measures: tokens, a light stemmer,
Korean particle stripping, a local TF cosine, and the marker lexicons.

Everything here is pure and deterministic: no model, no network, no
randomness, and iteration orders are fixed (sorted) wherever they reach
the output.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.\-][a-z0-9+#]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_PARAGRAPH = re.compile(r"\n\s*\n")
_BRITISH_IS = re.compile(r"\b(\w{3,})is(e|ed|es|ing|ation|ations)\b")

def _wordlist(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(_wordlist("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing done down during each even ever every few for
from further get gets got had has have having he her here hers herself him himself his how i if in
into is it its itself just let lets me might more most must my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up upon us very
was we were what when where which while who whom why will with would you your yours yourself
yourselves one two also which whose via per etc
"""))

# Words every interview answer uses: they say little about the topic, so they
# weigh less in the topical cosine.
GENERIC = frozenset(_wordlist("""
experience work worked working team project projects thing things time good important way ways use
used using make made really lot lots people know think problem problems question answer example case
cases need needs want help helped able like well better best new different many much first then next
"""))

# Longest first, so that "에서는" is stripped before "는".
KO_PARTICLES = sorted(_wordlist("""
에서는 에서도 에게서 으로는 으로도 이라는 이라고 라는 라고 에서 에게 으로 부터 까지
처럼 보다 하고 이나 이며 은 는 이 가 을 를 에 의 로 와 과 도 만 나 며
"""), key=len, reverse=True)


# Bigrams of Korean verb endings and copulas: every sentence has them, so
# they would make any two Korean texts look alike.
KO_COMMON_BIGRAMS = frozenset(_wordlist("""
니다 습니 합니 입니 있습 했습 됩니 었습 였습 갑니 옵니 는것 하는 하여 해서 하고 했고
있는 것을 것이 하게 했다 한다 이다 같아 아요 어요 해요 에요 예요 있고 있어 하면 으면
해야 되어 되었 되는 했으 하였 였고 었고 것은 수있 있을 좋아 합다
"""))


def normalise(text: str) -> str:
    """NFKC, lower case, unified quotes and dashes, collapsed spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def compact(text: str) -> str:
    """Normalised text without spaces or punctuation: Korean keyword matching
    is a substring test on this, because particles attach to words."""
    return re.sub(r"[\W_]+", "", normalise(text))


_SUFFIXES = ("izations", "ization", "ations", "ation", "ability", "ibility", "ments", "ment", "ness",
             "ings", "ing", "ities", "ity", "ies", "ied", "ers", "er", "ed", "es", "ly", "s", "e", "y")


def stem(word: str) -> str:
    """A deliberately small stemmer: strips one common English suffix so that
    index/indexes/indexing and normalize/normalization/normalised meet."""
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def strip_particle(word: str) -> str:
    for particle in KO_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 1:
            return word[: -len(particle)]
    return word


def words(text: str) -> list[str]:
    """Whitespace words (Korean eojeol count as one each)."""
    return [w for w in re.split(r"\s+", normalise(text)) if re.search(r"\w", w)]


def terms(text: str) -> list[str]:
    """Content terms: stemmed Latin tokens without stop words, and Korean
    words without their particles."""
    text = _BRITISH_IS.sub(r"\1iz\2", normalise(text))
    found: list[str] = []
    for token in re.findall(r"[a-z0-9][a-z0-9+#.\-]*|[\uac00-\ud7a3]+", text):
        if HANGUL.fullmatch(token):
            root = strip_particle(token)
            if root:
                found.append(root)
            continue
        for part in _LATIN_TOKEN.findall(token.strip(".-")):
            if part not in STOPWORDS and not part.isdigit():
                found.append(stem(part))
    return found


def features_for_cosine(text: str) -> Counter:
    """Latin terms as they are; Korean words as character bigrams too, which
    survives the endings a particle list misses."""
    bag: Counter = Counter()
    for term in terms(text):
        if HANGUL.fullmatch(term):
            if len(term) == 1:
                bag[term] += 1
            for i in range(len(term) - 1):
                if term[i: i + 2] not in KO_COMMON_BIGRAMS:
                    bag[term[i: i + 2]] += 1
        else:
            bag[term] += 1
    return bag


def cosine(a: Counter, b: Counter) -> float:
    """Cosine of sublinear TF vectors, generic words down-weighted."""

    def weight(term: str, count: int) -> float:
        return (1.0 + math.log(count)) * (0.3 if term in GENERIC else 1.0)

    va = {t: weight(t, c) for t, c in a.items()}
    vb = {t: weight(t, c) for t, c in b.items()}
    dot = sum(va[t] * vb[t] for t in sorted(set(va) & set(vb)))
    na = math.sqrt(sum(v * v for v in va.values()))
    nb = math.sqrt(sum(v * v for v in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split((text or "").strip())]
    return [p for p in parts if re.search(r"\w", p)]


def paragraphs(text: str) -> list[str]:
    return [p for p in _PARAGRAPH.split((text or "").strip()) if p.strip()]


def find_markers(text: str, markers: tuple[str, ...]) -> list[str]:
    """Markers present in normalised text, matched on word boundaries for
    Latin markers and as substrings for Korean ones, in the lexicon's order."""
    found = []
    for marker in markers:
        if HANGUL.search(marker):
            if marker in text:
                found.append(marker)
        elif re.search(r"(?<![\w])" + re.escape(marker) + r"(?![\w])", text):
            found.append(marker)
    return found


def count_markers(text: str, markers: tuple[str, ...]) -> int:
    total = 0
    for marker in markers:
        if HANGUL.search(marker):
            total += text.count(marker)
        else:
            total += len(re.findall(r"(?<![\w])" + re.escape(marker) + r"(?![\w])", text))
    return total


# --- lexicons ---------------------------------------------------------------

CONNECTIVES = {
    "en": ("first", "firstly", "second", "secondly", "third", "then", "next", "finally", "because", "since",
           "therefore", "as a result", "so that", "however", "although", "whereas", "consequently",
           "after that", "in addition", "moreover", "thus", "which meant", "in the end", "on the other hand",
           "for that reason", "this means", "that way", "instead", "otherwise", "meanwhile", "afterwards",
           "to do that", "in contrast", "the trade-off"),
    "ko": ("먼저", "첫째", "둘째", "셋째", "그다음", "그 다음", "그리고", "그래서", "따라서", 
           "왜냐하면", "때문에",
           "결과적으로", "마지막으로", "하지만", "그러나", "또한", "반면", "이후", "그 결과", "즉", "덕분에",
           "위해", "반대로"),
}

ENUMERATION = re.compile(r"(?m)^\s*(?:[-*\u2022]|\d+[.)]|[a-z][.)])\s+")

EXAMPLES = {
    "en": ("for example", "for instance", "e.g.", "such as", "in my last", "in my previous", "at my last",
           "at my previous", "in one project", "in a recent", "last year", "once", "in practice",
           "a case where", "to illustrate", "consider"),
    "ko": ("예를 들어", "예를 들면", "예시", "실제로", "이전 회사", "지난 프로젝트", 
           "프로젝트에서", "경험이 있",
           "작년", "사례"),
}

TIMEFRAMES = {
    "en": ("day", "days", "week", "weeks", "month", "months", "quarter", "year", "years", "sprint", "sprints",
           "deadline", "within", "by friday", "overnight", "hours", "minutes", "q1", "q2", "q3", "q4"),
    "ko": ("일 만에", "주 만에", "개월", "분기", "년", "주간", "마감", "스프린트", "시간 만에", "이내",
           "기간"),
}

_UNITS = (r"%|percent|ms|s\b|sec|seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|x\b|times|"
          r"k\b|m\b|gb|mb|kb|tb|qps|rps|tps|users|requests|customers|engineers|people|members|"
          r"퍼센트|배|명|개월|년|주|일|시간|분|초|건|원|만|억")
METRIC = re.compile(r"\d+(?:[.,]\d+)?\s*(?:" + _UNITS + ")")
NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b|\d+(?=[\uac00-\ud7a3%])|\bo\([^)]{1,12}\)")

TECHNOLOGIES = frozenset(_wordlist("""
python java javascript typescript go golang rust c++ c# kotlin swift ruby php scala sql nosql
postgresql postgres mysql sqlite oracle mongodb redis memcached cassandra dynamodb elasticsearch
kafka rabbitmq sqs sns kinesis spark hadoop airflow flink docker kubernetes k8s helm terraform
ansible jenkins github gitlab git aws gcp azure s3 ec2 lambda cloudfront cdn nginx haproxy linux
unix bash react vue angular svelte next.js node node.js express django flask fastapi spring rails
graphql rest grpc http https tcp udp dns tls ssl oauth jwt saml websocket websockets json xml yaml
protobuf html css webpack vite jest pytest junit selenium cypress prometheus grafana datadog sentry
opentelemetry pandas numpy pytorch tensorflow scikit-learn sklearn xgboost bert llm jira figma
mixpanel amplitude tableau looker bigquery snowflake redshift dbt s3 cassandra etcd zookeeper consul
vault istio envoy ci cd ci/cd api apis sdk orm mvc mvcc acid cap raft paxos lru btree b-tree hash
hashmap heap trie graph bfs dfs dijkstra okr okrs kpi kpis sla slo sli a/b
"""))

SENIOR_MARKERS = {
    "en": ("trade-off", "trade-offs", "tradeoff", "tradeoffs", "scalability", "scale", "architecture",
           "mentor", "mentored", "mentoring", "ownership", "stakeholder", "stakeholders", "long-term", "cost",
           "risk", "risks", "impact", "roadmap", "alignment", "design review", "postmortem"),
    "ko": ("트레이드오프", "확장성", "아키텍처", "멘토", "주도", "이해관계자", "장기", "비용", 
           "리스크", "영향",
           "로드맵", "설계"),
}

FILLERS = {
    "en": ("um", "uh", "erm", "like", "you know", "basically", "actually", "i guess", "i think", "maybe",
           "probably", "kind of", "sort of", "not sure", "i don't know", "stuff", "things like that",
           "whatever", "etc", "somehow", "pretty much", "just"),
    "ko": ("음", "어,", "그냥", "아마", "잘 모르", "같아요", "뭔가", "좀", "등등", "대충", "약간"),
}

# STAR: sentences are tagged by the first part whose markers they carry.
STAR_PARTS = ("situation", "task", "action", "result")
STAR_MARKERS = {
    "en": {
        "situation": ("situation", "context", "background", "at my previous", "at my last", "in my last",
                      "in my previous", "when i was", "we were", "our team was", "there was",
                      "the project was",
                      "the company", "a customer", "last year", "a few months ago", "at the time", "once"),
        "task": ("task", "my job was", "i was responsible", "my responsibility", "responsible for", "goal",
                 "objective", "needed to", "had to", "my role", "i was asked", "the challenge was",
                 "the aim was", "i was tasked"),
        "action": ("action", "i decided", "i implemented", "i built", "i proposed", "i organized",
                   "i organised", "i scheduled", "i started", "i created", "i set up", "i led", "i talked",
                   "i wrote", "i introduced", "i added", "i analyzed", "i analysed", "i reached out",
                   "i met", "i asked", "i suggested", "i designed", "i refactored", "i automated",
                   "i rewrote", "i spoke", "i broke", "i worked with", "i prioritized", "i prioritised",
                   "so i", "i then"),
        "result": ("result", "as a result", "outcome", "in the end", "ultimately", "which led to",
                   "reduced", "increased", "improved", "saved", "cut", "grew", "we shipped", "we delivered",
                   "delivered", "launched", "i learned", "i learnt", "lesson", "since then", "afterwards"),
    },
    "ko": {
        "situation": ("상황", "당시", "이전 회사", "프로젝트에서", "배경", "근무할 때", "있었을 때", "작년"),
        "task": ("과제", "목표", "담당", "역할", "해야 했", "책임", "맡았", "요청받"),
        "action": ("행동", "조치", "진행했", "도입했", "구현했", "제안했", "설계했", "분석했", "만들었",
                   "정리했", "설득했", "대화했", "자동화했", "개선하기 위해", "해결하기 위해", "시작했"),
        "result": ("결과", "성과", "줄였", "늘었", "늘렸", "감소", "증가", "단축", "개선되", "배웠", "교훈",
                   "달성", "출시"),
    },
}

# A rough past-tense action ("I migrated", "I quickly rewrote") also counts as Action.
ACTION_EN = re.compile(r"\b(?:i|we)\s+(?:\w+ly\s+)?(?:\w{3,}ed|built|wrote|led|made|ran|took|met|spoke|chose|"
                       r"found|began|drove|set|brought|sat|kept|gave|put|got)\b")
