"""The Streamlit app's shared parts: which pages each role sees, the common look, the login state,
and the first-start index build. Pages stay thin; this package holds what they share."""
