"""Pages of training, one module per concern: `dates` (the list and a date's page with its
registration form), `registrations` (one's own and the municipality's registrations, cancelling,
leaving the waiting list), `certificates`, `calendar` (the private feed) and `staff` (the
Landesjugendamt's back office). Every rule is in training.services and training.selectors."""
