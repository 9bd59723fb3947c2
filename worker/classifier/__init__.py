"""The classifier: tags each document with sensitivity and complexity before routing.

    classifier = Classifier(ClassifierConfig.model_validate(raw_yaml.get("classifier") or {}))
    tags = classifier.classify(text, task=task, source="hr/review.docx", floor=None)

Reasons and findings carry entity types and counts, never the matched values.
"""

from worker.classifier.config import ClassifierConfig, ComplexityConfig, PathRule
from worker.classifier.engine import Classifier
from worker.classifier.version import CLASSIFIER_VERSION

__all__ = ["CLASSIFIER_VERSION", "Classifier", "ClassifierConfig", "ComplexityConfig", "PathRule"]
