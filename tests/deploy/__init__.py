"""The deployment files: the Kubernetes manifest and the compose file."""
