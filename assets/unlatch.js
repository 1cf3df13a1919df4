// Unlatch's pages: each form calls the same JSON API as Unleash's own UI, on this origin only.
// Every URL here is relative to the page, so the pages work at the root and under UNLEASH_URL's
// sub-path alike. Nothing here logs, stores or sends a token anywhere but to this server.
(function () {
  'use strict';

  var NOTICE_KEY = 'unlatch.notice';
  var USERNAME_KEY = 'unlatch.username';

  function $(id) {
    return document.getElementById(id);
  }

  function show(element, visible) {
    if (element) {
      element.hidden = !visible;
    }
  }

  // --- messages (live regions) -----------------------------------------------------------------

  function say(text) {
    $('error').textContent = '';
    $('status').textContent = text || '';
  }

  function fail(text) {
    $('status').textContent = '';
    $('error').textContent = text || '';
  }

  function quiet() {
    say('');
  }

  // --- the API ---------------------------------------------------------------------------------

  // Answers {ok, status, data}; never throws. `data` is the parsed JSON body, or null.
  async function api(method, path, body) {
    var init = {
      method: method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'manual',
      referrerPolicy: 'no-referrer'
    };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    var response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return {
        ok: false,
        status: 0,
        data: { message: 'The server could not be reached. Check your connection and try again.' }
      };
    }
    var data = null;
    var type = response.headers.get('Content-Type') || '';
    if (type.indexOf('application/json') === 0) {
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  function messageOf(result) {
    if (result.data && typeof result.data.message === 'string' && result.data.message) {
      return result.data.message;
    }
    return 'Something went wrong (HTTP ' + result.status + '). Please try again.';
  }

  function nameOf(result) {
    return result.data && typeof result.data.name === 'string' ? result.data.name : '';
  }

  // Every failed rule of a policy error, or null when the answer is not one.
  function failedRules(result) {
    var details = result.data && result.data.details;
    var first = Array.isArray(details) ? details[0] : null;
    var rules = first && first.validationErrors;
    if (Array.isArray(rules) && rules.length > 0) {
      return rules.filter(function (rule) {
        return typeof rule === 'string';
      });
    }
    return null;
  }

  // Disables a form's submit button while `work` runs.
  async function busy(form, work) {
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      return await work();
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  function invalid(input, message) {
    input.setAttribute('aria-invalid', 'true');
    fail(message);
    input.focus();
    return false;
  }

  function valid(input) {
    input.removeAttribute('aria-invalid');
  }

  function remember(key, value) {
    try {
      window.sessionStorage.setItem(key, value);
    } catch (e) {
      // Storage may be off; the page works without it.
    }
  }

  function recall(key) {
    try {
      var value = window.sessionStorage.getItem(key);
      window.sessionStorage.removeItem(key);
      return value;
    } catch (e) {
      return null;
    }
  }

  // Renames the page (its heading and its title).
  function heading(text) {
    $('heading').textContent = text;
    document.title = text + ' · Unleash';
  }

  function focusHeading() {
    var heading = $('heading');
    if (heading) {
      heading.focus();
    }
  }

  // --- new password, twice, with live rule feedback --------------------------------------------

  function passwordFields() {
    var password = $('password');
    var confirm = $('confirm');
    var list = $('rule-list');
    var ok = $('rules-ok');
    var feedback = $('confirm-feedback');
    var sequence = 0;
    var timer = null;

    function renderRules(rules, meetsAll) {
      list.textContent = '';
      rules.forEach(function (rule) {
        var item = document.createElement('li');
        item.textContent = rule;
        list.appendChild(item);
      });
      show(ok, meetsAll === true);
      if (rules.length > 0) {
        password.setAttribute('aria-invalid', 'true');
      } else {
        valid(password);
      }
    }

    async function check() {
      var value = password.value;
      var mine = ++sequence;
      if (!value) {
        renderRules([], false);
        return;
      }
      var result = await api('POST', 'auth/reset/validate-password', { password: value });
      if (mine !== sequence) {
        return; // a newer keystroke has its own check under way
      }
      if (result.ok) {
        renderRules([], true);
      } else {
        renderRules(failedRules(result) || [messageOf(result)], false);
      }
    }

    function compare() {
      if (!confirm.value) {
        feedback.textContent = '';
        feedback.className = 'hint';
        valid(confirm);
      } else if (confirm.value === password.value) {
        feedback.textContent = 'The passwords match.';
        feedback.className = 'hint good';
        valid(confirm);
      } else {
        feedback.textContent = 'The passwords do not match yet.';
        feedback.className = 'hint bad';
        confirm.setAttribute('aria-invalid', 'true');
      }
    }

    password.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 250);
      compare();
    });
    confirm.addEventListener('input', compare);
    $('show-passwords').addEventListener('change', function (event) {
      var type = event.target.checked ? 'text' : 'password';
      document.querySelectorAll('input[type="password"], input[data-password]').forEach(
        function (input) {
          input.setAttribute('data-password', '');
          input.type = type;
        }
      );
    });

    return {
      password: password,
      confirm: confirm,
      renderRules: renderRules,
      // Checks before sending: both given, and the same.
      ready: function () {
        if (!password.value) {
          return invalid(password, 'Enter a new password.');
        }
        if (confirm.value !== password.value) {
          compare();
          return invalid(confirm, 'The two new passwords are not the same.');
        }
        valid(password);
        valid(confirm);
        return true;
      },
      // Shows a refusal of the new password: its failed rules, or its message.
      refused: function (result) {
        var rules = failedRules(result);
        if (rules) {
          sequence++;
          renderRules(rules, false);
          invalid(password, 'The new password does not meet every rule: ' + rules.join(' '));
        } else {
          fail(messageOf(result));
        }
      }
    };
  }

  // --- pages -----------------------------------------------------------------------------------

  function forgottenPassword() {
    var form = $('forgotten-form');
    var email = $('email');
    show(form, true);
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var address = email.value.trim();
      if (!address || !email.checkValidity()) {
        invalid(email, 'Enter the e-mail address of your account, such as name@example.com.');
        return;
      }
      valid(email);
      quiet();
      var result = await busy(form, function () {
        return api('POST', 'auth/reset/password-email', { email: address });
      });
      if (result.ok) {
        show(form, false);
        show($('sent'), true);
        say('Check your inbox.');
        focusHeading();
      } else {
        fail(messageOf(result));
      }
    });
  }

  // Reads the link's token and takes it out of the address bar and of the history entry at once
  // (the rest of the URL stays), so that it is not shown, bookmarked, shared or kept in the
  // browser's history; the page keeps it in memory for its own calls. A reload then has no token:
  // the page says the link is incomplete, and the mail's link works again as long as it is unspent.
  function takeToken() {
    var params = new URLSearchParams(window.location.search);
    var token = params.get('token');
    if (params.has('token')) {
      params.delete('token');
      var rest = params.toString();
      try {
        window.history.replaceState(
          window.history.state,
          '',
          window.location.pathname + (rest ? '?' + rest : '') + window.location.hash
        );
      } catch (e) {
        // A browser that refuses keeps the URL as it was; the page works the same.
      }
    }
    return token;
  }

  // /reset-password and /new-user: the token comes from the link and goes only to this server.
  async function setPassword() {
    var form = $('password-form');
    var token = takeToken();
    function expired() {
      show($('checking'), false);
      show(form, false);
      show($('invalid'), true);
      fail('This link has expired or has already been used.');
      focusHeading();
    }
    if (!token) {
      show($('checking'), false);
      show($('invalid'), true);
      fail('This link is incomplete: it has no token. Copy the whole link from the e-mail.');
      return;
    }
    var check = await api('GET', 'auth/reset/validate?token=' + encodeURIComponent(token));
    if (!check.ok) {
      if (check.status === 401) {
        expired();
      } else {
        show($('checking'), false);
        fail(messageOf(check));
      }
      return;
    }
    var user = check.data || {};
    var account = user.email || user.username || user.name || '';
    $('account').value = account;
    show($('checking'), false);
    show(form, true);
    var fields = passwordFields();
    fields.password.focus();

    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (!fields.ready()) {
        return;
      }
      quiet();
      var result = await busy(form, function () {
        return api('POST', 'auth/reset/password', { token: token, password: fields.password.value });
      });
      if (result.ok) {
        remember(NOTICE_KEY, 'Your password is set. Log in with it.');
        if (account) {
          remember(USERNAME_KEY, account);
        }
        say('Your password is set. Taking you to log in…');
        window.location.assign('login');
      } else if (result.status === 401) {
        expired();
      } else {
        fields.refused(result);
      }
    });
  }

  function describe(user) {
    var main = user.name || user.username || user.email || 'user ' + user.id;
    var detail = user.email && user.email !== main ? user.email : '';
    $('who').textContent = main;
    $('who-detail').textContent = detail ? ' (' + detail + ')' : '';
  }

  async function login() {
    var form = $('login-form');
    var username = $('username');
    var password = $('password');
    var session = $('session');

    function loggedIn(user) {
      describe(user);
      heading('Your account');
      show(form, false);
      show(session, true);
    }

    function loggedOut() {
      heading('Log in');
      show(session, false);
      show(form, true);
    }

    var notice = recall(NOTICE_KEY);
    var known = recall(USERNAME_KEY);
    if (known) {
      username.value = known;
    }
    var me = await api('GET', 'api/admin/user');
    if (me.ok && me.data && me.data.user) {
      loggedIn(me.data.user);
    } else {
      loggedOut();
      (known ? password : username).focus();
    }
    if (notice) {
      say(notice);
    }

    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (!username.value.trim()) {
        invalid(username, 'Enter your username or e-mail address.');
        return;
      }
      valid(username);
      if (!password.value) {
        invalid(password, 'Enter your password.');
        return;
      }
      valid(password);
      quiet();
      var result = await busy(form, function () {
        return api('POST', 'auth/simple/login', {
          username: username.value.trim(),
          password: password.value
        });
      });
      if (result.ok && result.data) {
        password.value = '';
        loggedIn(result.data);
        say('You are logged in.');
        focusHeading();
      } else {
        fail(messageOf(result));
        password.select();
        password.focus();
      }
    });

    $('logout').addEventListener('click', async function () {
      // The answer is a redirect to <UNLEASH_URL>/signed-out; the cookie is cleared either way.
      await api('POST', 'logout');
      var check = await api('GET', 'api/admin/user');
      if (check.ok) {
        fail('Logging out did not work. Please try again.');
        return;
      }
      loggedOut();
      say('You have logged out.');
      username.focus();
    });
  }

  async function changePassword() {
    var form = $('password-form');
    var me = await api('GET', 'api/admin/user');
    if (!me.ok || !me.data || !me.data.user) {
      show($('need-login'), true);
      if (me.status !== 401) {
        fail(messageOf(me));
      }
      return;
    }
    var user = me.data.user;
    $('account').value = user.email || user.username || user.name || '';
    show(form, true);
    var old = $('old-password');
    var fields = passwordFields();
    old.focus();

    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (!old.value) {
        invalid(old, 'Enter your current password.');
        return;
      }
      valid(old);
      if (!fields.ready()) {
        return;
      }
      quiet();
      var result = await busy(form, function () {
        return api('POST', 'api/admin/user/change-password', {
          password: fields.password.value,
          confirmPassword: fields.confirm.value,
          oldPassword: old.value
        });
      });
      if (result.ok) {
        form.reset();
        show(form, false);
        show($('changed'), true);
        say('Your password was changed.');
        focusHeading();
      } else if (result.status === 401 && nameOf(result) === 'PasswordMismatch') {
        invalid(old, messageOf(result));
      } else if (result.status === 401) {
        show(form, false);
        show($('need-login'), true);
        fail(messageOf(result));
      } else {
        fields.refused(result);
      }
    });
  }

  // /not-me: the link of a password-changed mail. Opening it changes nothing (mail scanners open
  // links); only the button, pressed by a person, calls the API.
  function notMe() {
    var token = takeToken();
    var form = $('not-me-form');
    function invalid(text) {
      show($('not-me-intro'), false);
      show($('invalid'), true);
      fail(text);
      focusHeading();
    }
    if (!token) {
      invalid('This link is incomplete: it has no token. Copy the whole link from the e-mail.');
      return;
    }
    show($('not-me-intro'), true);
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      quiet();
      var result = await busy(form, function () {
        return api('POST', 'auth/reset/not-me', { token: token });
      });
      if (result.ok) {
        show($('not-me-intro'), false);
        show($('not-me-done'), true);
        heading('Your account is secured');
        say('Everyone was logged out. Check your inbox.');
        focusHeading();
      } else if (result.status === 401) {
        invalid('This link has expired or has already been used.');
      } else {
        fail(messageOf(result));
      }
    });
  }

  // /profile: who is logged in, and every session of the account, each with "End".
  async function profile() {
    var list = $('sessions');
    var others = $('end-others');

    function needLogin(result) {
      show($('profile'), false);
      show($('need-login'), true);
      if (result && result.status !== 401) {
        fail(messageOf(result));
      }
    }

    function when(iso) {
      var date = new Date(iso);
      return isNaN(date.getTime()) ? iso : date.toLocaleString();
    }

    function render(sessions) {
      list.textContent = '';
      sessions.forEach(function (session) {
        var item = document.createElement('li');
        item.setAttribute('data-session', session.id);
        var about = document.createElement('span');
        about.className = 'about';
        var agent = document.createElement('span');
        agent.className = 'agent';
        agent.textContent = session.userAgent || 'Unknown browser';
        var meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent =
          'Logged in ' + when(session.createdAt) + (session.ip ? ' from ' + session.ip : '');
        about.appendChild(agent);
        about.appendChild(meta);
        if (session.current) {
          var current = document.createElement('span');
          current.className = 'current';
          current.textContent = 'This browser';
          about.appendChild(current);
        }
        var end = document.createElement('button');
        end.type = 'button';
        end.className = 'secondary';
        end.textContent = 'End';
        end.setAttribute(
          'aria-label',
          session.current ? 'End this session (log out here)' : 'End the session of ' + agent.textContent
        );
        end.addEventListener('click', async function () {
          end.disabled = true;
          var result = await api('DELETE', 'api/admin/user/sessions/' + encodeURIComponent(session.id));
          if (result.ok) {
            if (session.current) {
              needLogin(null);
              say('This session has ended.');
              return;
            }
            say('The session has ended.');
            await load();
          } else {
            end.disabled = false;
            fail(messageOf(result));
          }
        });
        item.appendChild(about);
        item.appendChild(end);
        list.appendChild(item);
      });
      others.disabled = sessions.filter(function (s) { return !s.current; }).length === 0;
    }

    async function load() {
      var result = await api('GET', 'api/admin/user/sessions');
      if (result.ok && result.data && Array.isArray(result.data.sessions)) {
        render(result.data.sessions);
        return true;
      }
      needLogin(result);
      return false;
    }

    var me = await api('GET', 'api/admin/user');
    if (!me.ok || !me.data || !me.data.user) {
      needLogin(me);
      return;
    }
    describe(me.data.user);
    if (await load()) {
      show($('profile'), true);
    }

    others.addEventListener('click', async function () {
      others.disabled = true;
      var result = await api('DELETE', 'api/admin/user/sessions');
      if (result.ok) {
        say('Every other session has ended.');
        await load();
      } else {
        others.disabled = false;
        fail(messageOf(result));
      }
    });
  }

  var pages = {
    'forgotten-password': forgottenPassword,
    'reset-password': setPassword,
    'new-user': setPassword,
    login: login,
    'change-password': changePassword,
    'not-me': notMe,
    profile: profile
  };

  var page = pages[document.body.getAttribute('data-page')];
  if (page) {
    page();
  }
})();
