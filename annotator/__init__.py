"""News Annotator: tag claims, sources and captions in news articles, offline."""

__version__ = "0.1.0"
