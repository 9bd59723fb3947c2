"""The classifier's version, recorded on every Tags so a policy or detector change can be audited."""

# Bump the suffix whenever a detector, the default policy or the complexity model changes behaviour.
CLASSIFIER_VERSION = "2026.12-10"
