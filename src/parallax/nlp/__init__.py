"""Language analysis: spaCy loading, attribution, speakers, claims, numbers, framing."""
