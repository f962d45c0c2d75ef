resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_group_policy" "devs" {
  group  = aws_iam_group.devs.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
