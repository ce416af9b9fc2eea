<?php
/**
 * Content written for Better Click To Tweet, Social Warfare and Novashare, rendered as
 * `<quote-to-tweet>` once those plugins are gone. While one of them is active, its shortcodes and
 * blocks are left to it: Chorus registers a tag or block only when nothing else has.
 *
 * Each keeps its old wrapper class (`bctt-click-to-tweet`, `swp_CTT`, `ns-ctt`) on the element, so the
 * theme's styling written for it still applies.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

// After the other plugins have registered theirs (they do at load or on init).
add_action( 'init', 'chorus_register_compat', 20 );

/** Registers the other plugins' shortcodes and blocks that no active plugin handles. */
function chorus_register_compat() {
	$shortcodes = array(
		'bctt'            => 'chorus_bctt_shortcode',
		'click_to_tweet'  => 'chorus_social_warfare_shortcode',
		'clickToTweet'    => 'chorus_social_warfare_shortcode',
		'novashare_tweet' => 'chorus_novashare_shortcode',
	);
	foreach ( $shortcodes as $tag => $callback ) {
		if ( ! shortcode_exists( $tag ) ) {
			chorus_add_shortcode( $tag, $callback );
		}
	}
	$registry = WP_Block_Type_Registry::get_instance();
	$string   = array( 'type' => 'string' );
	// A value of another type than declared is dropped before rendering: take a flag however it was saved.
	$boolean  = array( 'type' => array( 'boolean', 'string', 'integer' ) );
	$blocks   = array(
		'bctt/clicktotweet'        => array(
			'render_callback' => 'chorus_bctt_block',
			'attributes'      => array(
				'tweet'     => $string,
				'username'  => $string,
				'via'       => $boolean,
				'url'       => $boolean,
				'urlcustom' => $string,
				'nofollow'  => $boolean,
				'prompt'    => $string,
			),
		),
		'novashare/click-to-tweet' => array(
			'render_callback' => 'chorus_novashare_block',
			'attributes'      => array(
				'tweet'           => $string,
				'theme'           => $string,
				'cta_text'        => $string,
				'remove_url'      => $boolean,
				'remove_username' => $boolean,
				'hide_hashtags'   => $boolean,
			),
		),
	);
	foreach ( $blocks as $name => $settings ) {
		if ( ! $registry->is_registered( $name ) ) {
			register_block_type( $name, $settings );
			chorus_block_names( $name );
		}
	}
}

/** The post's title as the text to share, for a Click to Tweet box that has none. */
function chorus_post_title_text() {
	return chorus_plain( wp_strip_all_tags( get_the_title() ) );
}

/**
 * `[bctt tweet="…" url="no|https://…" via="no" username="handle" nofollow="yes" prompt="…"]`; an empty
 * `[bctt]` shares the post's title. Those are all its attributes: it has no `related` of its own.
 */
function chorus_bctt_shortcode( $atts ) {
	$args  = chorus_shortcode_args( $atts, array( 'tweet', 'via', 'username', 'url', 'nofollow', 'prompt' ) );
	$tweet = chorus_plain( $args['tweet'] ?? '' );
	$via   = null;
	if ( isset( $args['via'] ) && 'no' === strtolower( (string) $args['via'] ) ) {
		$via = '';
	} elseif ( isset( $args['username'] ) && true !== $args['username'] && 'not-a-real-user' !== $args['username'] ) {
		$via = $args['username'];
	}
	$url = isset( $args['url'] ) ? strtolower( trim( (string) $args['url'] ) ) : 'yes';
	return chorus_render_quote(
		array(
			'quote'    => '' !== $tweet ? $tweet : chorus_post_title_text(),
			'url'      => 'no' === $url ? 'none' : ( 'yes' === $url ? '' : $args['url'] ),
			'via'      => $via,
			'related'  => chorus_bctt_related( $via ),
			'nofollow' => isset( $args['nofollow'] ) && 'no' !== strtolower( (string) $args['nofollow'] ),
			'label'    => $args['prompt'] ?? '',
			'class'    => 'bctt-click-to-tweet',
		)
	);
}

/**
 * X's `related` for a Better Click To Tweet box: it sends the handle it credits (`via`) as `related`
 * too, so X suggests following that account; none when the box credits none.
 *
 * @param string|null $via The box's handle; null for the site's default, '' for none.
 */
function chorus_bctt_related( $via ) {
	return null === $via ? chorus_default_handle() : chorus_sanitize_handle( $via );
}

/** The block `bctt/clicktotweet` (tweet, username, via, url, urlcustom, nofollow, prompt). */
function chorus_bctt_block( $attributes ) {
	$a     = is_array( $attributes ) ? $attributes : array();
	$tweet = chorus_plain( $a['tweet'] ?? '' );
	$url   = '';
	if ( isset( $a['url'] ) && false === $a['url'] ) {
		$url = 'none';
	} elseif ( ! empty( $a['urlcustom'] ) ) {
		$url = $a['urlcustom'];
	}
	$via = null;
	if ( isset( $a['via'] ) && false === $a['via'] ) {
		$via = '';
	} elseif ( ! empty( $a['username'] ) ) {
		$via = $a['username'];
	}
	return chorus_render_quote(
		array(
			'quote'    => '' !== $tweet ? $tweet : chorus_post_title_text(),
			'url'      => $url,
			'via'      => $via,
			'related'  => chorus_bctt_related( $via ),
			'nofollow' => ! empty( $a['nofollow'] ),
			'label'    => $a['prompt'] ?? '',
			'class'    => 'bctt-click-to-tweet',
		)
	);
}

/**
 * Social Warfare's `[click_to_tweet tweet="shared" quote="shown" theme="style1"]` (and its older
 * `[clickToTweet]`; its block saves the shortcode as text). A tweet that holds a link shares no other.
 * Those are all its attributes, and it sends X no `related`: its handle (the site's `twitter_id`) is the
 * default handle already.
 */
function chorus_social_warfare_shortcode( $atts ) {
	$args  = chorus_shortcode_args( $atts, array( 'tweet', 'quote', 'theme' ) );
	$tweet = chorus_plain( $args['tweet'] ?? '' );
	$quote = chorus_plain( $args['quote'] ?? '' );
	$theme = isset( $args['theme'] ) && 'default' !== $args['theme'] ? sanitize_html_class( (string) $args['theme'] ) : '';
	return chorus_render_quote(
		array(
			'quote' => '' !== $quote ? $quote : $tweet,
			'text'  => $tweet,
			'url'   => false !== strpos( $tweet, 'http' ) ? 'none' : '',
			'class' => 'swp_CTT ' . ( '' !== $theme ? $theme : 'style1' ),
		)
	);
}

/** Novashare's `[novashare_tweet tweet theme cta_text remove_url remove_username hide_hashtags]`. */
function chorus_novashare_shortcode( $atts ) {
	$args = chorus_shortcode_args( $atts, array( 'tweet', 'theme', 'cta-text', 'remove-url', 'remove-username', 'hide-hashtags' ) );
	return chorus_novashare_quote(
		$args['tweet'] ?? '',
		$args['theme'] ?? '',
		$args['cta-text'] ?? '',
		isset( $args['remove-url'] ) && chorus_truthy( $args['remove-url'] ),
		isset( $args['remove-username'] ) && chorus_truthy( $args['remove-username'] ),
		isset( $args['hide-hashtags'] ) && chorus_truthy( $args['hide-hashtags'] )
	);
}

/** Novashare's block `novashare/click-to-tweet`, with the shortcode's attributes (snake or camel case). */
function chorus_novashare_block( $attributes ) {
	$a   = is_array( $attributes ) ? $attributes : array();
	$get = function ( $snake, $camel ) use ( $a ) {
		return $a[ $snake ] ?? ( $a[ $camel ] ?? '' );
	};
	return chorus_novashare_quote(
		$a['tweet'] ?? '',
		$a['theme'] ?? '',
		$get( 'cta_text', 'ctaText' ),
		chorus_truthy_value( $get( 'remove_url', 'removeUrl' ) ),
		chorus_truthy_value( $get( 'remove_username', 'removeUsername' ) ),
		chorus_truthy_value( $get( 'hide_hashtags', 'hideHashtags' ) )
	);
}

/** A block's or option's value as a boolean, where '' (absent) means no. */
function chorus_truthy_value( $value ) {
	return '' !== $value && null !== $value && chorus_truthy( $value );
}

/**
 * A Novashare tweet as a quote: the hashtags that end it are shared as hashtags (and hidden from the
 * quote shown with `hide_hashtags`).
 */
function chorus_novashare_quote( $tweet, $theme, $cta, $remove_url, $remove_username, $hide_hashtags ) {
	$tweet    = chorus_plain( $tweet );
	$hashtags = '';
	$shared   = $tweet;
	if ( preg_match( '/(?:\s|^)((?:#[\p{L}\p{N}_-]+\s*)+)$/u', $tweet, $match ) ) {
		$hashtags = $match[1];
		$shared   = trim( substr( $tweet, 0, -strlen( $match[0] ) ) );
	}
	$theme = sanitize_html_class( (string) $theme );
	return chorus_render_quote(
		array(
			'quote'    => $hide_hashtags ? $shared : $tweet,
			'text'     => $shared,
			'url'      => $remove_url ? 'none' : '',
			'via'      => $remove_username ? '' : null,
			'hashtags' => $hashtags,
			'label'    => $cta,
			'class'    => 'ns-ctt' . ( '' !== $theme ? ' ns-ctt-' . $theme : '' ),
		)
	);
}
