"""Who may do what in careers: one module of rules for every part (quizzes, stories,
campaigns), registered with accounts.permissions."""
