"""Evidence that stands without the system: signed heads of the hash chain, audit bundles, and
the verifier that checks a bundle with nothing but Python and the ``cryptography`` package."""
