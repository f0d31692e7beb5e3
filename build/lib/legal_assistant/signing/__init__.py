"""Electronic signing: the deployment CA, signer certificates and PAdES signatures."""
