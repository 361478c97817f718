package postgres

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// explain turns a connection or setup error into a message that says what to fix
// (password, database name, TLS mode, reachability), with the password scrubbed.
func (c Config) explain(err error) error {
	if err == nil {
		return nil
	}
	where := fmt.Sprintf("%s:%d", c.Host, c.Port)
	var pgErr *pgconn.PgError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordHeader tls.RecordHeaderError
	var netErr net.Error
	var msg string
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "28P01":
		msg = fmt.Sprintf("PostgreSQL at %s refused the password for user %q; check the password (secureJsonData.password)", where, c.User)
	case errors.As(err, &pgErr) && pgErr.Code == "28000":
		msg = fmt.Sprintf("PostgreSQL at %s refused user %q: %s; pg_hba.conf may require another sslmode (now %s) or not list this user, database or address", where, c.User, pgErr.Message, c.SSLMode)
	case errors.As(err, &pgErr) && pgErr.Code == "3D000":
		msg = fmt.Sprintf("PostgreSQL at %s has no database %q; create it, or fix the database setting", where, c.Database)
	case errors.As(err, &pgErr) && pgErr.Code == "42501":
		msg = fmt.Sprintf("user %q lacks a privilege the store needs (%s); grant CREATE on the database (or the schema), or create the schema for it", c.User, pgErr.Message)
	case errors.As(err, &unknownAuthority), errors.As(err, &invalidCert):
		msg = fmt.Sprintf("the certificate of PostgreSQL at %s does not verify against the CA (sslmode %s): %v; give the CA that signed it", where, c.SSLMode, rootCause(err))
	case errors.As(err, &hostname):
		msg = fmt.Sprintf("the certificate of PostgreSQL at %s is not for host %q (sslmode verify-full): %v; connect by a name the certificate lists, or use verify-ca", where, c.Host, hostname)
	case errors.As(err, &recordHeader):
		msg = fmt.Sprintf("PostgreSQL at %s did not answer TLS as expected: %v", where, rootCause(err))
	case strings.Contains(err.Error(), "server refused TLS connection"):
		msg = fmt.Sprintf("PostgreSQL at %s does not offer TLS; enable ssl on the server, or set sslmode to disable on a trusted network", where)
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = fmt.Sprintf("cannot reach PostgreSQL at %s: connection refused (is it running, and listening on that address and port?)", where)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		msg = fmt.Sprintf("cannot reach PostgreSQL at %s: no answer within the %s connect timeout", where, c.withDefaults().ConnectTimeout)
	default:
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			msg = fmt.Sprintf("cannot resolve the PostgreSQL host %q: %v", c.Host, dnsErr)
		} else {
			msg = fmt.Sprintf("PostgreSQL at %s: %v", where, err)
		}
	}
	return errors.New(c.scrub(msg))
}

// rootCause is the innermost error's text, without the layers that repeat the DSN.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// scrub removes the password from text. Drivers do not put it in errors, but a
// message is shown to users and written to logs, so make sure. Passwords shorter
// than four characters are left alone: replacing them would garble the message
// and such a password protects nothing anyway.
func (c Config) scrub(s string) string {
	if len(c.Password) >= 4 {
		s = strings.ReplaceAll(s, c.Password, "********")
	}
	return s
}
