"""What every app's demo seeder shares about demo accounts."""

# The e-mail domain of every demo account (personas, staff of the demo structures, content editors).
DEMO_DOMAIN = "demo.conseiller-numerique.fr"
