"""gatecheck: conformance and contract tests for OpenAI-compatible LLM gateways."""

from __future__ import annotations

from gatecheck.errors import GatecheckError
from gatecheck.failures import ContractViolation

__version__ = "0.1.0"
__all__ = ["ContractViolation", "GatecheckError", "__version__"]
