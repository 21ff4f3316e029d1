package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

// badgeWords are the answers to a badge a desk cannot take.
var badgeWords = errWords{
	{store.ErrBadgeRevoked, fiber.StatusForbidden, "badge_revoked", "该证件已作废（补办或注销），请核实身份", "this badge was revoked (replaced or cancelled); check who this is"},
	{store.ErrBadgeUnknown, fiber.StatusForbidden, "badge_invalid", "证件无效，不是本次会议的证件", "not a valid badge of this meeting"},
}

// verifyBadge checks a scanned badge's token as the check-in path does:
// our key's signature, this event. Whether its serial is still live is
// the store's question (deskBadge, or the custody transaction).
func (s *Server) verifyBadge(token string) (credential.Claims, error) {
	if len(token) > credential.MaxTokenLen+64 {
		return credential.Claims{}, badgeWords.word(store.ErrBadgeUnknown)
	}
	claims, _, err := s.Creds.Keyring().Verify(token)
	if err != nil || claims.Event != s.catalog().Event.ID {
		return claims, badgeWords.word(store.ErrBadgeUnknown)
	}
	return claims, nil
}

// deskBadge is the person whose badge a desk scanned (the confidential
// documents' desk, the materials desk): the token verified, and its
// serial the person's live one.
func (s *Server) deskBadge(ctx context.Context, token string) (store.DocPerson, credential.Claims, error) {
	claims, err := s.verifyBadge(token)
	if err != nil {
		return store.DocPerson{}, claims, err
	}
	p, err := s.DB.BadgeHolder(ctx, claims.Serial, claims.Attendee)
	if err != nil {
		return p, claims, badgeWords.word(err)
	}
	return p, claims, nil
}
