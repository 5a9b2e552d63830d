"""Valid calls of the public API, one :class:`tests.strategies.ApiCase` each, by area.

``tests/test_public_api.py`` feeds each case bad input and checks that every public callable
has a case (or a listed reason why none is needed).
"""
