package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/auth"
	"huiwu/server/internal/store"
)

// The admin's users API (the /users page): list the accounts with their
// open sessions, create one, rename it or change its role, reset its
// password, revoke it, end one session. Each change is audited under the
// admin's name and applies to the very next request, websockets included.

// accountError turns the account errors of auth and store into API
// errors: a lock with its end in the event's time zone, then a table of
// the sentinel errors.
func (s *Server) accountError(err error) error {
	var locked *auth.LockedError
	if errors.As(err, &locked) {
		until := locked.Until.In(s.catalog().Location).Format("15:04")
		return apiError(fiber.StatusTooManyRequests, "account_locked",
			"密码错误次数过多，账号已锁定至 "+until+"；请稍后再试，或请管理员重置密码",
			"too many wrong passwords: the account is locked until "+until+"; try later or ask an admin to reset the password")
	}
	if errors.Is(err, auth.ErrThrottled) {
		return errTooManyAttempts
	}
	return errWords{
		{auth.ErrBadCredentials, fiber.StatusUnauthorized, "bad_credentials", "用户名或密码错误", "wrong user name or password"},
		{auth.ErrBadLogin, fiber.StatusBadRequest, "bad_login", "用户名须为 2 到 32 个字母、数字或 . _ -", "the user name must be 2 to 32 letters, digits, '.', '_' or '-'"},
		{auth.ErrWeakPassword, fiber.StatusBadRequest, "weak_password", "密码须为 8 到 128 个字符", "the password must be 8 to 128 characters"},
		{auth.ErrBadRole, fiber.StatusBadRequest, "bad_role", "角色须为 admin、desk、usher、chair 或 screen", "role must be admin, desk, usher, chair or screen"},
		{auth.ErrBadName, fiber.StatusBadRequest, "bad_name", "姓名须为 1 到 40 个字", "the name must be 1 to 40 characters"},
		{store.ErrLoginTaken, fiber.StatusConflict, "login_taken", "该用户名已被使用", "that user name is taken"},
		{store.ErrAdminExists, fiber.StatusConflict, "admin_exists", "已有管理员账号：登录链接不再创建账号，请用账号和密码登录",
			"an admin account exists: the login link creates no more accounts; sign in with a user name and password"},
		{store.ErrLastAdmin, fiber.StatusConflict, "last_admin", "这是最后一个可登录的管理员账号，不能停用或改为其他角色",
			"this is the last admin account that can sign in; it cannot be revoked or given another role"},
	}.word(err)
}

func (s *Server) handleUsers(c *fiber.Ctx) error {
	list, err := s.Auth.Accounts(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(list)
}

// handleUserCreate adds a person (admin only). With a password it is a
// staff account that signs in on the login page; without one (the older
// form, for scripts) a token-only account whose API token is answered
// once.
func (s *Server) handleUserCreate(c *fiber.Ctx) error {
	var body struct {
		Login    string `json:"login"`
		Name     string `json:"name"`
		Role     string `json:"role"`
		Password string `json:"password"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	body.Login, body.Name = strings.TrimSpace(body.Login), strings.TrimSpace(body.Name)
	role, actor := auth.Role(body.Role), principal(c).Name
	if body.Password == "" && body.Login == "" {
		if err := s.checkDeviceName(body.Name); err != nil {
			return s.accountError(auth.ErrBadName)
		}
		id, token, err := s.Auth.CreateTokenUser(c.UserContext(), body.Name, role, actor)
		if err != nil {
			return s.accountError(err)
		}
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": id, "name": body.Name, "role": role, "token": token})
	}
	id, err := s.Auth.CreateAccount(c.UserContext(), auth.NewAccount{Login: body.Login, Name: body.Name, Role: role, Password: body.Password}, actor)
	if err != nil {
		return s.accountError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": id, "login": body.Login, "name": body.Name, "role": role})
}

func userID(c *fiber.Ctx) (int64, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return int64(id), nil
}

// handleUserUpdate renames an account or changes its role.
func (s *Server) handleUserUpdate(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var body struct {
		Name *string    `json:"name"`
		Role *auth.Role `json:"role"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if body.Name == nil && body.Role == nil {
		return errNothingToChange("name, role")
	}
	if body.Name != nil {
		n := strings.TrimSpace(*body.Name)
		body.Name = &n
	}
	a, err := s.Auth.UpdateUser(c.UserContext(), id, body.Name, body.Role, principal(c).Name)
	if err != nil {
		return s.accountError(err)
	}
	return c.JSON(a)
}

// handleUserPassword sets a new password; every session of the account
// ends.
func (s *Server) handleUserPassword(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var body struct {
		Password string `json:"password"`
	}
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := s.Auth.ResetPassword(c.UserContext(), id, body.Password, principal(c).Name); err != nil {
		return s.accountError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleUserRevoke disables an account for good.
func (s *Server) handleUserRevoke(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := s.Auth.RevokeUser(c.UserContext(), id, principal(c).Name); err != nil {
		return s.accountError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleSessionEnd ends one session of an account (a lost tablet).
func (s *Server) handleSessionEnd(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	sid, err := c.ParamsInt("session")
	if err != nil || sid <= 0 {
		return errNotFound
	}
	if err := s.Auth.EndSession(c.UserContext(), id, int64(sid), principal(c).Name); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
