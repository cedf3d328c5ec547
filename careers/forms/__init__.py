"""The careers forms, one module a part. careers/services check every value again."""
