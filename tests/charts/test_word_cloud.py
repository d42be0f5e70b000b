"""The word cloud's layout as data (lis_data/views/word_cloud.py): sizes grow with the count, the
most frequent word sits in the middle, a full cloud is narrowed to fit, counts are kept."""

from lis_data.views import word_cloud


def test_sizes_follow_counts_and_the_largest_is_in_the_middle():
    words = word_cloud.cloud([("rail", 1), ("skills", 9), ("green", 4)])
    assert [w.word for w in words] == ["green", "skills", "rail"]
    size = {w.word: w.size_em for w in words}
    assert size["skills"] == word_cloud.MAX_EM and size["rail"] == word_cloud.MIN_EM and word_cloud.MIN_EM < size["green"] < word_cloud.MAX_EM
    assert {w.word: w.count for w in words} == {"rail": 1, "skills": 9, "green": 4}


def test_a_full_cloud_is_narrowed_to_fit_and_the_smallest_stays_readable():
    many = [(f"infrastructure{i}", 100 - i) for i in range(60)]
    words = word_cloud.cloud(many)
    assert len(words) == word_cloud.MAX_WORDS
    assert word_cloud.area(words) <= word_cloud.AREA_BUDGET + 1
    assert min(w.size_em for w in words) >= 0.7
    assert len(word_cloud.table_rows(many)) == 60, "the table keeps every word"


def test_nothing_to_draw():
    assert word_cloud.cloud([]) == [] and word_cloud.cloud([("x", 0)]) == []
