"""The LiteLLM tier's fixture; the proxy itself is described in :mod:`litellm_support`."""

from __future__ import annotations

from litellm_support import litellm_proxy

__all__ = ["litellm_proxy"]
