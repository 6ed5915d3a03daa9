"""Grouping articles: near-duplicate texts and stories about one event."""
