<?php
/**
 * Settings → Chorus: the collector and the script tag's data attributes, the quotes' defaults, the
 * course box, and a button that sends the collector one test event and shows its answer. Only for
 * users who can manage options; every form carries a nonce; every value is sanitised on save
 * (chorus_sanitize_settings) and escaped here on output.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

add_action( 'admin_menu', 'chorus_add_settings_page' );
add_action( 'admin_init', 'chorus_register_settings' );
add_action( 'admin_post_chorus_test_collector', 'chorus_handle_test_collector' );
add_filter( 'plugin_action_links_' . plugin_basename( CHORUS_FILE ), 'chorus_settings_link' );

/** Adds Settings → Chorus. */
function chorus_add_settings_page() {
	add_options_page( __( 'Chorus', 'chorus' ), __( 'Chorus', 'chorus' ), 'manage_options', 'chorus', 'chorus_render_settings_page' );
}

/**
 * A "Settings" link beside the plugin's name on the Plugins screen.
 *
 * @param array $links The plugin's links.
 */
function chorus_settings_link( $links ) {
	array_unshift( $links, '<a href="' . esc_url( admin_url( 'options-general.php?page=chorus' ) ) . '">' . esc_html__( 'Settings', 'chorus' ) . '</a>' );
	return $links;
}

/** The option, its sections and fields. */
function chorus_register_settings() {
	register_setting(
		'chorus',
		'chorus_settings',
		array(
			'type'              => 'object',
			'sanitize_callback' => 'chorus_sanitize_settings',
			'default'           => chorus_default_settings(),
			'show_in_rest'      => false,
		)
	);

	add_settings_section( 'chorus_collector', __( 'Measuring', 'chorus' ), 'chorus_collector_intro', 'chorus' );
	chorus_field( 'collector', __( 'Collector', 'chorus' ), 'chorus_collector', 'text', __( 'Where events go: the URL of your Chorus collector (https://stats.example.com/collect), or plausible, umami, ga4, gtm, segment; several separated by spaces. Empty: nothing is ever sent.', 'chorus' ) );
	chorus_field( 'site', __( 'Site name', 'chorus' ), 'chorus_collector', 'text', sprintf( /* translators: %s: the site's host name. */ __( 'The name the collector files events under (letters, digits, dots, dashes). Empty: %s.', 'chorus' ), chorus_sanitize_site( (string) wp_parse_url( home_url(), PHP_URL_HOST ) ) ) );
	chorus_field( 'respect_dnt', __( 'Do Not Track', 'chorus' ), 'chorus_collector', 'checkbox', __( 'Send nothing for readers whose browser asks for Do Not Track or Global Privacy Control.', 'chorus' ) );
	chorus_field(
		'pageviews',
		__( 'Page views', 'chorus' ),
		'chorus_collector',
		array(
			'elements'   => __( 'Count page views and reads on pages with a Chorus element (the script loads only there)', 'chorus' ),
			'everywhere' => __( 'Count page views and reads on every page (the script loads on every page)', 'chorus' ),
			'off'        => __( 'Do not count page views (your analytics already do): only what readers do with the elements', 'chorus' ),
		)
	);
	chorus_field( 'debug', __( 'Debug', 'chorus' ), 'chorus_collector', 'checkbox', __( 'Log every event and every delivery in the browser console.', 'chorus' ) );

	add_settings_section( 'chorus_quotes', __( 'Quotes', 'chorus' ), '__return_false', 'chorus' );
	chorus_field( 'via', __( 'X handle', 'chorus' ), 'chorus_quotes', 'text', __( 'Credited as "via @handle" on X by every quote that names none (Better Click To Tweet\'s handle is used while this is empty).', 'chorus' ) );
	chorus_field( 'networks', __( 'Networks', 'chorus' ), 'chorus_quotes', 'networks', __( 'Where readers can share a quote, unless the quote names its own networks; the first is its main button.', 'chorus' ) );

	add_settings_section( 'chorus_course', __( 'Course box', 'chorus' ), 'chorus_course_intro', 'chorus' );
	chorus_field( 'course_cat', __( 'Category', 'chorus' ), 'chorus_course', 'category' );
	chorus_field( 'course_top', __( 'At the top', 'chorus' ), 'chorus_course', 'checkbox', __( 'Before the post\'s text.', 'chorus' ) );
	chorus_field( 'course_bottom', __( 'At the bottom', 'chorus' ), 'chorus_course', 'checkbox', __( 'After the post\'s text.', 'chorus' ) );
	chorus_field( 'course_heading', __( 'Heading', 'chorus' ), 'chorus_course', 'text' );
	chorus_field( 'course_text', __( 'Text', 'chorus' ), 'chorus_course', 'textarea' );
	chorus_field( 'course_href', __( 'Link', 'chorus' ), 'chorus_course', 'url', __( 'The course\'s page (http or https).', 'chorus' ) );
	chorus_field( 'course_label', __( 'Button', 'chorus' ), 'chorus_course', 'text', __( 'Empty: "Find out more".', 'chorus' ) );
	chorus_field( 'course_image', __( 'Image', 'chorus' ), 'chorus_course', 'url', __( 'An image URL, best from the media library (its size is kept, so nothing moves while it loads).', 'chorus' ) );
	chorus_field( 'course_campaign', __( 'Campaign', 'chorus' ), 'chorus_course', 'text', __( 'Ties the top and bottom copies together in reports and UTM parameters.', 'chorus' ) );
	chorus_field( 'course_dismissible', __( 'Dismissible', 'chorus' ), 'chorus_course', 'checkbox', __( 'Readers can close it; it stays away for 30 days.', 'chorus' ) );
}

/**
 * Adds one field of chorus_settings.
 *
 * @param string       $key     The setting.
 * @param string       $title   Its label.
 * @param string       $section Its section.
 * @param string|array $type    text, url, textarea, checkbox, networks, category, or the choices of a radio group.
 * @param string       $help    A description under it.
 */
function chorus_field( $key, $title, $section, $type, $help = '' ) {
	$args = array(
		'key'  => $key,
		'type' => $type,
		'help' => $help,
	);
	if ( in_array( $type, array( 'text', 'url', 'textarea', 'category' ), true ) ) {
		$args['label_for'] = 'chorus-' . $key;
	}
	add_settings_field( 'chorus-' . $key, $title, 'chorus_render_field', 'chorus', $section, $args );
}

/**
 * Prints one field, its value escaped.
 *
 * @param array $args What chorus_field() passed.
 */
function chorus_render_field( $args ) {
	$settings = chorus_settings();
	$key      = $args['key'];
	$value    = $settings[ $key ];
	$name     = 'chorus_settings[' . $key . ']';
	$id       = 'chorus-' . $key;
	$type     = $args['type'];
	if ( is_array( $type ) ) {
		echo '<fieldset>';
		foreach ( $type as $choice => $label ) {
			printf( '<label><input type="radio" name="%s" value="%s"%s /> %s</label><br />', esc_attr( $name ), esc_attr( $choice ), checked( $value, $choice, false ), esc_html( $label ) );
		}
		echo '</fieldset>';
	} elseif ( 'checkbox' === $type ) {
		printf( '<label><input type="checkbox" id="%s" name="%s" value="1"%s /> %s</label>', esc_attr( $id ), esc_attr( $name ), checked( (bool) $value, true, false ), esc_html( $args['help'] ) );
		return;
	} elseif ( 'textarea' === $type ) {
		printf( '<textarea id="%s" name="%s" rows="3" class="large-text">%s</textarea>', esc_attr( $id ), esc_attr( $name ), esc_textarea( $value ) );
	} elseif ( 'networks' === $type ) {
		echo '<fieldset>';
		// Names of networks are not translated, but "Email" is.
		$names = array(
			'x'          => 'X',
			'bluesky'    => 'Bluesky',
			'mastodon'   => 'Mastodon',
			'threads'    => 'Threads',
			'linkedin'   => 'LinkedIn',
			'facebook'   => 'Facebook',
			'reddit'     => 'Reddit',
			'hackernews' => 'Hacker News',
			'email'      => __( 'Email', 'chorus' ),
			'whatsapp'   => 'WhatsApp',
			'telegram'   => 'Telegram',
		);
		foreach ( CHORUS_NETWORKS as $network ) {
			printf( '<label class="chorus-network"><input type="checkbox" name="%s[]" value="%s"%s /> %s</label>', esc_attr( $name ), esc_attr( $network ), checked( in_array( $network, (array) $value, true ), true, false ), esc_html( $names[ $network ] ) );
		}
		echo '</fieldset>';
	} elseif ( 'category' === $type ) {
		wp_dropdown_categories(
			array(
				'id'                => $id,
				'name'              => $name,
				'selected'          => (int) $value,
				'show_option_none'  => __( '— No course box —', 'chorus' ),
				'option_none_value' => '0',
				'hide_empty'        => false,
				'hierarchical'      => true,
			)
		);
	} else {
		printf( '<input type="%s" id="%s" name="%s" value="%s" class="regular-text" />', 'url' === $type ? 'url' : 'text', esc_attr( $id ), esc_attr( $name ), 'url' === $type ? esc_url( $value ) : esc_attr( $value ) );
	}
	if ( '' !== $args['help'] ) {
		echo '<p class="description">' . esc_html( $args['help'] ) . '</p>';
	}
}

/** The measuring section's introduction. */
function chorus_collector_intro() {
	echo '<p>' . esc_html__( 'Chorus counts what readers do (quotes shared, the course box seen and clicked, replies) without cookies. These settings become the script tag\'s data attributes.', 'chorus' ) . '</p>';
}

/** The course box section's introduction. */
function chorus_course_intro() {
	echo '<p>' . esc_html__( 'Placed by itself at the top and the bottom of every post of one category. Anywhere else, use the Course box block or [course_cta].', 'chorus' ) . '</p>';
}

/** The page: the settings form, then the test button's form and its last answer. */
function chorus_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$answer = get_transient( 'chorus_test_' . get_current_user_id() );
	if ( is_array( $answer ) ) {
		delete_transient( 'chorus_test_' . get_current_user_id() );
	}
	?>
	<div class="wrap">
		<style>.chorus-network{display:inline-block;margin-inline-end:1.5em}</style>
		<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
		<?php if ( is_array( $answer ) ) : ?>
			<div id="chorus-test-answer" class="notice notice-<?php echo $answer['ok'] ? 'success' : 'error'; ?>"><p><?php echo esc_html( $answer['message'] ); ?></p></div>
		<?php endif; ?>
		<form action="options.php" method="post">
			<?php
			settings_fields( 'chorus' );
			do_settings_sections( 'chorus' );
			submit_button();
			?>
		</form>
		<h2><?php esc_html_e( 'Test the collector', 'chorus' ); ?></h2>
		<p><?php esc_html_e( 'Sends the collector above (as saved) one test event from this server, with this site\'s origin, and shows its answer.', 'chorus' ); ?></p>
		<form action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" method="post">
			<input type="hidden" name="action" value="chorus_test_collector" />
			<?php wp_nonce_field( 'chorus_test_collector' ); ?>
			<?php submit_button( __( 'Test the collector', 'chorus' ), 'secondary', 'chorus-test', false ); ?>
		</form>
	</div>
	<?php
}

/** The test button: checks the user and the nonce, sends the event, shows the answer on the page. */
function chorus_handle_test_collector() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'Sorry, you are not allowed to test the collector.', 'chorus' ), '', array( 'response' => 403 ) );
	}
	check_admin_referer( 'chorus_test_collector' );
	set_transient( 'chorus_test_' . get_current_user_id(), chorus_test_collector(), 5 * MINUTE_IN_SECONDS );
	wp_safe_redirect( admin_url( 'options-general.php?page=chorus' ) );
	exit;
}

/**
 * Sends the first collector URL one event of type `test` under the site's name, with the site's
 * origin (so the collector checks that this origin may send for this site), and says what happened.
 *
 * @return array{ok: bool, message: string}
 */
function chorus_test_collector() {
	$urls = array_values( preg_grep( '#^https?://#', explode( ' ', chorus_settings()['collector'] ) ) );
	if ( ! $urls ) {
		return array(
			'ok'      => false,
			'message' => __( 'No collector URL is saved, so there is nothing to test (analytics names such as plausible are sent to from readers\' browsers only).', 'chorus' ),
		);
	}
	$url    = $urls[0];
	$site   = chorus_site_name();
	$home   = wp_parse_url( home_url() );
	$origin = $home['scheme'] . '://' . $home['host'] . ( isset( $home['port'] ) ? ':' . $home['port'] : '' );
	$now    = (int) round( microtime( true ) * 1000 );
	$batch  = array(
		'v'      => 1,
		'site'   => $site,
		'sent'   => $now,
		'events' => array(
			array(
				'id'       => 'wptest' . wp_generate_password( 18, false ),
				'type'     => 'test',
				'widget'   => 'page',
				'instance' => 'chorus-settings-test',
				'ts'       => $now,
				'url'      => home_url( '/' ),
				'title'    => 'Chorus settings test',
				'referrer' => '',
			),
		),
	);
	$response = wp_remote_post(
		$url,
		array(
			'timeout'     => 5,
			'redirection' => 0,
			'headers'     => array(
				'Content-Type' => 'text/plain;charset=UTF-8',
				'Origin'       => $origin,
			),
			'body'        => wp_json_encode( $batch ),
		)
	);
	if ( is_wp_error( $response ) ) {
		return array(
			'ok'      => false,
			/* translators: 1: the collector's URL, 2: the error. */
			'message' => sprintf( __( 'The collector at %1$s could not be reached: %2$s', 'chorus' ), $url, $response->get_error_message() ),
		);
	}
	$code   = (int) wp_remote_retrieve_response_code( $response );
	$body   = (string) wp_remote_retrieve_body( $response );
	$json   = json_decode( $body, true );
	$reason = is_array( $json ) && isset( $json['reason'] ) && is_string( $json['reason'] ) ? $json['reason'] : wp_html_excerpt( wp_strip_all_tags( $body ), 200, '…' );
	if ( $code >= 200 && $code < 300 ) {
		/* translators: 1: the collector's URL, 2: the site name, 3: the origin, 4: the HTTP status. */
		$message = sprintf( __( 'The collector at %1$s accepted the test event for site "%2$s" from %3$s (HTTP %4$d).', 'chorus' ), $url, $site, $origin, $code );
		if ( is_array( $json ) && ! empty( $json['ignored'] ) ) {
			$message .= ' ' . __( 'It took the test for a bot\'s (it comes from this server, not a browser), so it will not show in the report.', 'chorus' );
		}
		return array(
			'ok'      => true,
			'message' => $message,
		);
	}
	return array(
		'ok'      => false,
		/* translators: 1: the collector's URL, 2: the HTTP status, 3: the collector's reason. */
		'message' => sprintf( __( 'The collector at %1$s refused the test event (HTTP %2$d): %3$s', 'chorus' ), $url, $code, '' !== $reason ? $reason : __( 'no reason given', 'chorus' ) ),
	);
}
