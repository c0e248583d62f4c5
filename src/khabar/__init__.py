"""khabar (خبر): a Persian news aggregation engine.

The public surface is small and typed:

* :mod:`khabar.text` — the Persian text engine (``normalize``, ``sentences``, ``words``).
* :mod:`khabar.extract` — one raw document in, clean :class:`~khabar.model.Article` out.
* :mod:`khabar.model` — the frozen records that travel between the steps.
"""

__version__ = "0.1.0"
