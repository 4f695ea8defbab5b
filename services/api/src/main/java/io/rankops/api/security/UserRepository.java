package io.rankops.api.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class UserRepository {

    /** Cost 12: about a quarter of a second per check, the usual trade-off for interactive logins. */
    static final int BCRYPT_COST = 12;
    /** The width of app_user.username. */
    static final int MAX_USERNAME = 64;

    public Optional<User> find(String username) {
        return Optional.ofNullable(User.findById(username));
    }

    /** Creates the account, or resets its password and roles when it exists. */
    @Transactional
    public User save(String username, String password, List<String> roles) {
        User user = User.<User>findByIdOptional(username).orElseGet(User::new);
        boolean created = user.username == null;
        user.username = username;
        user.passwordHash = BcryptUtil.bcryptHash(password, BCRYPT_COST);
        user.roles = roles.toArray(String[]::new);
        if (created) {
            user.persist();
        }
        return user;
    }
}
