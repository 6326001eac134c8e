"""The built-in mock gateway: a real ASGI server that speaks Requesty's or OpenRouter's API.

Layout (one job per module):

- ``settings``   MockSettings: flavor, keys, db path, faults, timing; built by the CLI or a fixture
- ``app``        create_app(settings) -> Starlette: wires the routes of each plane for a flavor
- ``server``     MockServer: runs the app on uvicorn in a thread (fixtures, ``gatecheck run``)
- ``faults``     the fault-mode registry: named switches that each break one contract point
- ``errors``     the vendor error envelope and MockHTTPError
- ``contract``   both planes' requests held to the flavor's spec: parameters and bodies, 400s
- ``accounts``   the seam between planes: who is calling, may they, and what did it cost
- ``catalog``    the model catalog from fixtures/catalog.yaml, prices and regions
- ``inference/`` chat, streaming (the one SSE encoder), embeddings, rerank, responses, messages,
                 models, routing and fallbacks
- ``management/`` keys, usage, generations, credits, activity, guardrails, PKCE
- ``store/``     sqlite persistence behind ``accounts``
"""
