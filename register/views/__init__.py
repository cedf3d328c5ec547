"""HTML views, one module per area: accounts (home, health, organisations, registrar home),
public (the public register), applications, registrar, worker, renewals."""
