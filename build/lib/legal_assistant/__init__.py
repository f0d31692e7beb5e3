"""最嘉法护 enterprise legal-risk assistant: a library with a CLI and a Streamlit app over it."""

__version__ = "0.1.0"
