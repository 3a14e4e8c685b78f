"""Questions with a strong, a vague and an off-topic answer each, in English
and Korean, for the evaluator's ordering tests."""

from __future__ import annotations

from dataclasses import dataclass

CRITERIA = {
    "understanding": "Understands what the question is really asking",
    "logic": "Explains the reasoning step by step",
    "specificity": "Uses concrete examples, figures and named tools",
    "jobFit": "Relates the answer to the work of the role",
}


@dataclass(frozen=True)
class Case:
    name: str
    request: dict  # EvaluationRequest fields, without answer_text
    strong: str
    vague: str
    off_topic: str


DATABASE_INDEX = Case(
    name="database-index",
    request=dict(
        question_text="A query on a large orders table has become slow. How would you use indexes to speed "
                      "it "
                      "up, and what are the costs?",
        question_type="technical", category="databases", difficulty="medium", language="en",
        expected_keywords=["index", "query plan", "selectivity", "composite index", "write overhead"],
        sample_answer="First I would look at the query plan with EXPLAIN ANALYZE to see whether the database "
                      "does a sequential scan. Then I would add an index on the filtered columns, or a "
                      "composite "
                      "index whose column order matches the WHERE clause and the sort, favouring columns "
                      "with "
                      "high selectivity. Indexes cost write overhead and storage, so I would measure both.",
        evaluation_criteria=CRITERIA,
    ),
    strong="First, I would run EXPLAIN ANALYZE to read the query plan and confirm that PostgreSQL is doing a "
           "sequential scan over the 40 million rows of the orders table. Because the slow query filters on "
           "customer_id and sorts by created_at, I would add a composite index on (customer_id, created_at), "
           "putting the column with the highest selectivity first.\n\n"
           "For example, in my last project a similar index cut the p95 latency from 1.2 s to 15 ms. "
           "However, every index adds write overhead on inserts and updates and takes disk space, so I would "
           "check the write rate, drop unused indexes, and therefore measure both reads and writes for a "
           "week "
           "after the change.",
    vague="I think indexes basically make things faster, so I would probably add some indexes. It depends on "
          "the situation really, and maybe there are some costs too, you know.",
    off_topic="My favourite way to spend a weekend is hiking in the mountains with my family. First we pack "
              "sandwiches, then we drive for two hours to the trailhead. Because the views are beautiful, we "
              "usually take many photos, and as a result we come home tired but happy after 15 kilometres.",
)

REST_THEORY = Case(
    name="rest-vs-rpc",
    request=dict(
        question_text="What is the difference between PUT and PATCH in a REST API, and when is an operation "
                      "idempotent?",
        question_type="theory", category="backend-apis", difficulty="easy", language="en",
        expected_keywords=["idempotent", "full replacement", "partial update", "retry"],
        sample_answer="PUT replaces the whole resource with the representation sent, so repeating the same "
                      "PUT "
                      "leaves the same state: it is idempotent. PATCH applies a partial update; it is "
                      "idempotent "
                      "only if the patch document is, for example a JSON merge patch that sets fields. "
                      "Idempotency matters because clients and proxies retry requests after timeouts.",
        evaluation_criteria=CRITERIA,
    ),
    strong="PUT is a full replacement: the client sends the whole resource, so sending the same PUT twice "
           "leaves the same state, which makes it idempotent. PATCH is a partial update that only changes "
           "the "
           "fields it names. Therefore a PATCH is idempotent only when the patch sets values, for example "
           "{\"status\": \"paid\"}, and not when it says \"increment quantity by 1\".\n\n"
           "This matters because HTTP clients and proxies retry after a timeout: with an idempotent "
           "operation "
           "a retry is safe, while a non-idempotent POST needs an idempotency key. In our payments API we "
           "added such keys and duplicate charges dropped to 0 within 2 weeks.",
    vague="PUT and PATCH are both ways to change things in an API. They are kind of similar, I guess one of "
          "them is used more often, it depends on the API.",
    off_topic="I really enjoy cooking Italian food. First I boil the pasta for 9 minutes, then I prepare a "
              "sauce with tomatoes, garlic and basil. Because fresh ingredients matter, I buy them at the "
              "market every Saturday, and as a result the dinner tastes much better.",
)

CONFLICT_BEHAVIORAL = Case(
    name="conflict",
    request=dict(
        question_text="Tell me about a time you disagreed with a teammate about a technical decision. "
                      "How did you handle it?",
        question_type="behavioral", category="behavioral", difficulty="medium", language="en",
        expected_keywords=["listened", "data", "compromise", "outcome"],
        sample_answer="Situation: two engineers disagreed on a database choice before a launch. Task: I had "
                      "to "
                      "reach a decision within a week. Action: I listened to both sides, proposed a "
                      "benchmark "
                      "and we compared data. Result: we agreed on a compromise and shipped on time.",
        evaluation_criteria=CRITERIA,
    ),
    strong="At my previous company our team was building a new billing service, and a senior teammate wanted "
           "to use MongoDB while I preferred PostgreSQL. My task was to get us to a decision within one "
           "sprint "
           "without damaging the relationship.\n\n"
           "I listened to his reasons first and wrote them down. Then I proposed a two-day benchmark with "
           "our "
           "real invoice data, and I set up both databases with the same 5 million rows. Because the data "
           "showed PostgreSQL was 3x faster on our reporting queries, while MongoDB was simpler for one "
           "nested "
           "document, we agreed on a compromise: PostgreSQL with a JSONB column.\n\n"
           "As a result, we shipped the service 4 days early, and the outcome was that we still use the same "
           "benchmark approach for technical disagreements.",
    vague="I usually get along with people, so disagreements are not a big problem for me. I think it is "
          "important to listen and communicate, and basically we always find some solution in the end.",
    off_topic="The best programming language to learn first is Python because the syntax is simple. There "
              "are "
              "many libraries such as NumPy and Django, and the documentation is good, so beginners can "
              "write "
              "useful scripts within 3 days.",
)

KO_INDEX = Case(
    name="ko-index",
    request=dict(
        question_text="데이터베이스 인덱스가 무엇이며, 인덱스를 추가할 때의 장단점을 설명해 주세요.",
        question_type="technical", category="databases", difficulty="medium", language="ko",
        expected_keywords=["인덱스", "B-트리", "조회 성능", "쓰기 비용", "실행 계획"],
        sample_answer="인덱스는 테이블의 특정 컬럼 값을 B-트리 같은 자료구조로 정렬해 두어 전체 테이블을 "
                      "읽지 않고도 "
                      "원하는 행을 빠르게 찾게 해 줍니다. 조회 성능은 좋아지지만 삽입과 수정 때마다 인덱스도 "
                      "갱신해야 "
                      "하므로 쓰기 비용과 저장 공간이 늘어납니다. 실행 계획을 확인해 실제로 인덱스가 "
                      "쓰이는지 봐야 합니다.",
        evaluation_criteria=CRITERIA,
    ),
    strong="인덱스는 특정 컬럼의 값을 B-트리 자료구조로 정렬해 저장하여, 전체 테이블을 스캔하지 않고 원하는 "
           "행을 "
           "빠르게 찾게 해 주는 구조입니다. 먼저 EXPLAIN으로 실행 계획을 확인해 풀 스캔이 일어나는지 "
           "봅니다.\n\n"
           "예를 들어 지난 프로젝트에서 3천만 건의 주문 테이블에 (customer_id, created_at) 복합 인덱스를 "
           "추가했더니 "
           "조회 성능이 1.5초에서 20ms로 개선되었습니다. 하지만 삽입과 수정 때마다 인덱스도 갱신해야 하므로 "
           "쓰기 비용과 "
           "저장 공간이 늘어납니다. 따라서 2주 동안 쓰기 지연 시간을 함께 모니터링하고 사용되지 않는 "
           "인덱스는 삭제했습니다.",
    vague="인덱스는 그냥 데이터베이스를 빠르게 해 주는 것 같아요. 아마 장점도 있고 단점도 좀 있을 것 "
          "같습니다.",
    off_topic="저는 주말에 가족과 함께 등산하는 것을 좋아합니다. 먼저 김밥을 준비하고 두 시간 동안 운전해서 "
              "산에 "
              "갑니다. 경치가 아름답기 때문에 사진을 많이 찍고, 그 결과 피곤하지만 행복하게 집에 돌아옵니다.",
)

KO_BEHAVIORAL = Case(
    name="ko-deadline",
    request=dict(
        question_text="마감 기한이 촉박한 프로젝트를 맡았던 경험과 그것을 어떻게 해결했는지 말씀해 주세요.",
        question_type="behavioral", category="behavioral", difficulty="medium", language="ko",
        expected_keywords=["우선순위", "일정", "소통", "결과"],
        sample_answer="상황: 출시 2주 전에 핵심 기능 요구사항이 바뀌었습니다. 과제: 저는 일정 안에 기능을 "
                      "완성해야 "
                      "했습니다. 행동: 우선순위를 다시 정하고 이해관계자와 매일 소통했습니다. 결과: 기한 "
                      "내에 출시했습니다.",
        evaluation_criteria=CRITERIA,
    ),
    strong="이전 회사에서 결제 기능 출시를 3주 앞두고 요구사항이 크게 바뀐 상황이 있었습니다. 저는 백엔드 "
           "담당으로서 "
           "일정 안에 새 결제 흐름을 완성해야 하는 책임을 맡았습니다.\n\n"
           "먼저 기능 목록을 정리해 우선순위를 다시 정했고, 필수 기능 5개만 남기도록 기획팀에 제안했습니다. "
           "그리고 매일 "
           "15분씩 기획, QA와 소통하는 회의를 진행했고, 테스트를 자동화해 회귀 검사 시간을 단축했습니다.\n\n"
           "그 결과 기한보다 2일 먼저 출시했고, 결제 오류율을 0.5%에서 0.1%로 줄였습니다. 이 경험에서 범위를 "
           "빠르게 "
           "조정하는 것이 중요하다는 교훈을 배웠습니다.",
    vague="마감 일정이 촉박하면 저는 그냥 열심히 하는 편입니다. 아마 야근도 좀 하고 팀과 소통하면서 어떻게든 "
          "끝냈던 것 "
          "같아요.",
    off_topic="파이썬은 문법이 간단해서 처음 배우기 좋은 언어입니다. 넘파이와 장고 같은 라이브러리가 많고 "
              "문서도 잘 "
              "되어 있어서 초보자도 쉽게 스크립트를 작성할 수 있습니다.",
)

CASES = [DATABASE_INDEX, REST_THEORY, CONFLICT_BEHAVIORAL, KO_INDEX, KO_BEHAVIORAL]

# The same facts as CONFLICT_BEHAVIORAL.strong, told without structure: result
# first, no context or goal, no connectives, one block.
CONFLICT_UNSTRUCTURED = (
    "We shipped the billing service 4 days early with PostgreSQL and a JSONB column, it was a compromise. "
    "There was a two-day benchmark with real invoice data and 5 million rows in MongoDB and PostgreSQL. "
    "A senior teammate wanted MongoDB, PostgreSQL was 3x faster on reporting queries. His reasons were "
    "listened to and written down, the data decided it. We still use the benchmark approach for technical "
    "disagreements, the outcome was fine, MongoDB was simpler for one nested document."
)
