"""Every write in the register is a service function in one of these modules:

- evidence: uploaded documents;
- applications: applying to join, identity checks, approval;
- entries: registration numbers and every change of an entry's status;
- renewals: CPD, renewal, reminders, lapsing and restoration;
- details: changes of name, contact details and address;
- name_words: the words of public entries' names that name search reads.
"""
