"""Storage: S3 buckets."""
