"""agreement_report (the app's report view): the same figures as agreement() and per_article(), in one pass."""

from __future__ import annotations

import csv

import pytest

from annotator import review

from .conftest import add, article
import support


@pytest.fixture
def corpus(store):
    one = article("Officials said Kim met Putin in Moscow, according to state media.")
    two = article("The ministry said exports rose 5% in May, a spokesman told reporters.")
    three = article("Nobody but ana tagged this one at all, said the editor.")
    support.add_articles(store, [one, two, three])
    add(store, one, "Officials", "SOURCE", "ana")
    add(store, one, "Officials", "SOURCE", "ben")
    add(store, one, "Kim met Putin", "CLAIM", "ana")
    add(store, one, "Kim met Putin in Moscow", "CLAIM", "ben")
    add(store, one, "state media", "SOURCE", "ben")
    add(store, two, "The ministry", "SOURCE", "ana")
    add(store, two, "exports rose 5% in May", "CLAIM", "ben")
    add(store, three, "the editor", "SOURCE", "ana")
    return store


def test_report_equals_agreement_and_per_article(corpus):
    seen: list[tuple[int, int]] = []
    report = review.agreement_report(corpus, "ana", "ben", progress=lambda done, total: seen.append((done, total)))
    rows = report.pop("per_article")
    assert report == review.agreement(corpus, "ana", "ben")
    assert rows == review.per_article(corpus, "ana", "ben")
    assert seen[-1] == (2, 2) == (report["articles"], review.counted_articles(corpus, "ana", "ben"))


def test_report_for_one_label(corpus):
    report = review.agreement_report(corpus, "ana", "ben", "CLAIM")
    rows = report.pop("per_article")
    assert report == review.agreement(corpus, "ana", "ben", "CLAIM")
    assert rows == review.per_article(corpus, "ana", "ben", "CLAIM")


def test_a_raising_progress_stops_the_report(corpus):
    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        review.agreement_report(corpus, "ana", "ben", progress=stop)


def test_write_csv(corpus, tmp_path):
    report = review.agreement_report(corpus, "ana", "ben")
    path = tmp_path / "figures.csv"
    count = review.write_csv(path, report, report["per_article"])
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert count == len(lines) == len(report["labels"]) + 1 + 2
    assert [r["scope"] for r in lines] == ["label"] * len(report["labels"]) + ["overall", "article", "article"]
    assert tuple(lines[0]) == review.CSV_COLUMNS
    assert lines[0]["label"] == "CLAIM" and float(lines[0]["f1_exact"]) == report["labels"]["CLAIM"]["f1_exact"]
