"""The one rule that finds the project's article for an article named by someone else (a colleague's
project, an annotation file): same id (the same text), else the one article with the same URL (when
both have one), else the one article with the same title (when either has no URL). Several
candidates are no match: a wrong match would put spans on the wrong story.
"""

from __future__ import annotations

from ..store import Store


def match_article(store: Store, article_id: str = "", url: str = "", title: str = "") -> str | None:
    if article_id and store.has_article(article_id):
        return article_id
    if url:
        by_url = store.articles_with_url(url, limit=2)
        if by_url:
            return by_url[0] if len(by_url) == 1 else None
    if title:
        by_title = [i for i, their_url in store.articles_with_title(title, limit=3) if not their_url or not url]
        if len(by_title) == 1:
            return by_title[0]
    return None
