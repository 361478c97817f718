package postgres

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// tlsConfig follows libpq's sslmode meanings:
//   - disable: no TLS;
//   - require: TLS without checking the certificate, unless a CA is given, when it
//     behaves as verify-ca (as libpq does when a root certificate is present);
//   - verify-ca: the certificate chain must lead to the CA; the host name is not checked;
//   - verify-full: chain and host name (the system roots when no CA is given).
//
// Unlike libpq's prefer, no mode falls back to plain text.
func (c Config) tlsConfig() (*tls.Config, error) {
	if c.SSLMode == SSLDisable {
		return nil, nil
	}
	pem, err := c.caPEM()
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if pem != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA certificate holds no PEM certificate")
		}
		cfg.RootCAs = pool
	}
	mode := c.SSLMode
	if mode == SSLRequire && pem != nil {
		mode = SSLVerifyCA
	}
	switch mode {
	case SSLRequire:
		cfg.InsecureSkipVerify = true
	case SSLVerifyCA:
		// Go verifies host names whenever it verifies; verify the chain ourselves instead.
		cfg.InsecureSkipVerify = true
		roots := cfg.RootCAs
		cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			return verifyChain(raw, roots)
		}
	case SSLVerifyFull:
		cfg.ServerName = c.Host
	default:
		return nil, fmt.Errorf("sslmode %q is not one of disable, require, verify-ca, verify-full", c.SSLMode)
	}
	return cfg, nil
}

// verifyChain checks the server's chain against roots without a host name.
func verifyChain(raw [][]byte, roots *x509.CertPool) error {
	if len(raw) == 0 {
		return errors.New("the server sent no certificate")
	}
	certs := make([]*x509.Certificate, len(raw))
	for i, der := range raw {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("parsing the server certificate: %w", err)
		}
		certs[i] = cert
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
	for _, cert := range certs[1:] {
		opts.Intermediates.AddCert(cert)
	}
	if _, err := certs[0].Verify(opts); err != nil {
		return fmt.Errorf("verifying the server certificate against the CA: %w", err)
	}
	return nil
}
