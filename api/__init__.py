"""escalate's HTTP service: a thin FastAPI layer over the escalate library.

``api.main.create_app`` builds the app; ``api.server.run`` serves it under uvicorn.
"""
