"""The network's read side. The site search calls the two search functions below."""

from network.selectors.forums import forum_topics_search
from network.selectors.practice import practice_examples_search

__all__ = ["forum_topics_search", "practice_examples_search"]
