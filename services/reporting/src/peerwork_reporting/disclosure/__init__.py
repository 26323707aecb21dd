"""What may be published of counts of people: statistical disclosure control
(``suppression``). Whatever decides what a release shows belongs here, beside it. Pure."""
