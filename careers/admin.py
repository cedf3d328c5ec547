"""The careers admin: quizzes, stories and campaigns are changed through the service pages,
where every change is audited."""
