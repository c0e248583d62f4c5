"""khabar.quality: quality signals and filters for Persian web text.

from khabar.quality import QualityConfig, quality_signals, judge
signals = quality_signals(article.paragraphs, page=article.signals)
verdict = judge(signals, article.language, QualityConfig())   # None = keep, else Verdict(reason, detail)
"""

from khabar.quality.signals import (
    REASONS,
    STOPWORDS,
    QualityConfig,
    Verdict,
    judge,
    quality_signals,
)

__all__ = ["REASONS", "STOPWORDS", "QualityConfig", "Verdict", "judge", "quality_signals"]
