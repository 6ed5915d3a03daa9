"""Quality measures of parallax stages on the annotated sets in ../shared/data."""
