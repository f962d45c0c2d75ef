"""CloudFormation front end: YAML/JSON templates (plain, SAM, CDK output) into `Document`s."""
