"""Sending email: the transports (SMTP, as HEARD_EMAIL_URL says) and the message parts every
kind of mail shares (mailboxes, Message-IDs, From and Reply-To). What a mail says belongs to
the app that sends it: follow-ups, invitations."""
