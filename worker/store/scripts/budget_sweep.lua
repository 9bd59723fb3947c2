-- ARGV: prefix. Charges the reservations whose lease ran out.
sweep(now_us())
return 1
