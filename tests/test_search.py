"""What Pagefind is given to index (`generator.site.search`)."""

from __future__ import annotations

from generator.site.search import search_document


def test_a_search_document_is_the_article_without_drawings_and_with_its_title():
    article = (
        '<h1>Centre &amp; santé</h1><svg viewBox="0 0 9 9"><path d="M0 0h9"/></svg><p>Médecin</p><svg class="q"></svg>'
    )
    document = search_document(article, 'Centre "A" & santé', "fr")
    assert "<svg" not in document and "M0 0h9" not in document
    assert "<h1>Centre &amp; santé</h1>" in document and "<p>Médecin</p>" in document
    assert 'data-pagefind-meta="title:Centre &quot;A&quot; &amp; santé"' in document
    assert document.startswith('<!DOCTYPE html><html lang="fr">')
